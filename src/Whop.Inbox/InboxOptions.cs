using System.ComponentModel.DataAnnotations;

namespace Whop.Inbox;

/// <summary>The <c>Inbox</c> section of configuration, validated at start-up.</summary>
public sealed class InboxOptions : IValidatableObject
{
    public const string Section = "Inbox";

    /// <summary>
    /// An API key taken from configuration (<c>Inbox__BootstrapApiKey</c>) that acts as admin of the
    /// default company: for first set-up and automation. Empty turns it off.
    /// </summary>
    public string? BootstrapApiKey { get; set; }

    /// <summary>Seed the demo company, team, customers and conversations into an empty database.</summary>
    public bool SeedDemoData { get; set; }

    /// <summary>The password every demo account gets.</summary>
    [Required] public string DemoPassword { get; set; } = "Demo-pass-1";

    /// <summary>
    /// How long the event log keeps events for clients that reconnect and catch up (each chat's latest
    /// event is always kept). A client away for longer is told to reload (<c>resync</c>).
    /// </summary>
    public TimeSpan EventRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Serve <c>GET /diagnostics/memory</c> (process and managed-heap figures, for API keys only): the
    /// benchmarks read memory per connection from it. Off unless configured.
    /// </summary>
    public bool MemoryDiagnostics { get; set; }

    /// <summary>
    /// Count the SQL statements the app sends: each response says how many its request made, and
    /// <c>GET /diagnostics/statements</c> (API keys only) gives the total. For the benchmarks; off unless configured.
    /// </summary>
    public bool StatementDiagnostics { get; set; }

    /// <summary>The company created on first start when demo data is off.</summary>
    [Required, StringLength(100)] public string CompanyName { get; set; } = "My company";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(BootstrapApiKey) && BootstrapApiKey.Length < 24)
            yield return new ValidationResult("Inbox:BootstrapApiKey must be at least 24 characters (or empty to turn it off).",
                [nameof(BootstrapApiKey)]);
    }
}
