using Whop.Inbox.Common;

namespace Whop.Inbox.Embedding;

/// <summary>
/// A web origin allowed to frame the embedded elements: scheme, host and port only
/// (<c>https://app.example.com</c>, <c>http://127.0.0.1:5001</c>). Exact origins, no wildcards, so
/// the frame's own check of its parent (<c>postMessage</c>) can compare them as strings.
/// </summary>
public static class EmbedOrigin
{
    public const int MaxOrigins = 20;
    public const int MaxLength = 200;

    /// <summary>The normalised form (lower case, no default port, no trailing slash), or why not.</summary>
    public static Outcome<string> Parse(string? text, string field)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0) return Failure.Invalid(field, "An origin cannot be empty.");
        if (trimmed.Length > MaxLength) return Failure.Invalid(field, $"An origin can be at most {MaxLength} characters.");
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.Host.Length == 0 || trimmed.Contains('*'))
            return Failure.Invalid(field, $"\"{trimmed}\" is not an origin: write it as https://app.example.com (scheme, host and port if any).");
        if (uri.UserInfo.Length > 0 || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || trimmed.TrimEnd('/').Count(c => c == '/') > 2)
            return Failure.Invalid(field, $"\"{trimmed}\" has more than an origin: leave out any path, query or fragment.");
        // The host as browsers put it in an origin: an internationalised name in its punycode form.
        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host : uri.IdnHost; // IdnHost drops an IPv6 address's brackets
        var port = uri.IsDefaultPort ? "" : $":{uri.Port}";
        return $"{uri.Scheme}://{host}{port}".ToLowerInvariant();
    }

    /// <summary>Every entry parsed (duplicates dropped), or the first problem, naming its position.</summary>
    public static Outcome<IReadOnlyList<string>> ParseAll(IEnumerable<string?>? texts, string field = "origins")
    {
        var list = texts?.ToList() ?? [];
        if (list.Count > MaxOrigins) return Failure.Invalid(field, $"At most {MaxOrigins} origins can be allowed.");
        var parsed = new List<string>();
        for (var i = 0; i < list.Count; i++)
        {
            var origin = Parse(list[i], $"{field}[{i}]");
            if (origin.Failure is { } failure) return failure;
            if (!parsed.Contains(origin.Value!)) parsed.Add(origin.Value!);
        }
        return parsed;
    }

    /// <summary>The <c>frame-ancestors</c> directive for these origins; <c>'none'</c> when there are none.</summary>
    public static string FrameAncestors(IReadOnlyCollection<string> origins) =>
        "frame-ancestors " + (origins.Count == 0 ? "'none'" : string.Join(' ', origins));
}
