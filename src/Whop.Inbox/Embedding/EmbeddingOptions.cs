using System.ComponentModel.DataAnnotations;

namespace Whop.Inbox.Embedding;

/// <summary>The <c>Inbox:Embedding</c> section of configuration, validated at start-up.</summary>
public sealed class EmbeddingOptions : IValidatableObject
{
    public const string Section = "Inbox:Embedding";

    /// <summary>
    /// Where to serve the demo host page (a second origin, e.g. <c>http://127.0.0.1:5001</c>) that
    /// embeds the DMs list and the chat for the demo people. Empty turns it off; it needs the demo
    /// data, and mints tokens for demo people only.
    /// </summary>
    public string? DemoHostUrl { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(DemoHostUrl)) yield break;
        if (EmbedOrigin.Parse(DemoHostUrl, nameof(DemoHostUrl)).Failure is not null)
            yield return new ValidationResult("Inbox:Embedding:DemoHostUrl must be an origin such as http://127.0.0.1:5001 (or empty to turn the demo host off).",
                [nameof(DemoHostUrl)]);
    }
}
