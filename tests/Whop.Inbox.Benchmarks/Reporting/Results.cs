using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Whop.Inbox.Benchmarks.Reporting;

/// <summary>
/// What a run found: sections of named figures, written as JSON (everything) and Markdown (tables
/// a person reads, with the targets and how far each figure is from them).
/// </summary>
public sealed class Results
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public JsonObject Root { get; } = new();
    private readonly StringBuilder _markdown = new();

    public void Set(string section, object value) => Root[section] = JsonSerializer.SerializeToNode(value, Json);

    /// <summary>A section of one provider's figures: <c>providers.&lt;provider&gt;.&lt;section&gt;</c>.</summary>
    public void Set(string provider, string section, object value)
    {
        var providers = Root["providers"] as JsonObject ?? (JsonObject)(Root["providers"] = new JsonObject());
        var figures = providers[provider] as JsonObject ?? (JsonObject)(providers[provider] = new JsonObject());
        figures[section] = JsonSerializer.SerializeToNode(value, Json);
    }

    public void Heading(string text) => _markdown.AppendLine().AppendLine($"### {text}").AppendLine();

    public void Line(string text) => _markdown.AppendLine(text);

    /// <param name="textColumns">How many columns, from the first, hold text (left-aligned); the rest are figures (right-aligned).</param>
    public void Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, int textColumns = 1)
    {
        _markdown.AppendLine("| " + string.Join(" | ", header) + " |");
        _markdown.AppendLine("|" + string.Join("|", header.Select((_, i) => i < textColumns ? "---" : "---:")) + "|");
        foreach (var row in rows) _markdown.AppendLine("| " + string.Join(" | ", row) + " |");
        _markdown.AppendLine();
    }

    public async Task WriteAsync(string folder, string title)
    {
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "latest.json"), Root.ToJsonString(Json) + "\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "latest.md"), $"## {title}\n{_markdown}");
    }

    public static string Ms(double value) => double.IsNaN(value) ? "–" : Math.Abs(value) < 10 ? value.ToString("F2", CultureInfo.InvariantCulture)
        : value.ToString("F1", CultureInfo.InvariantCulture);

    public static string N(double value) => double.IsNaN(value) ? "–" : value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Ratio(double value, double floor) =>
        double.IsNaN(value) || double.IsNaN(floor) || floor <= 0 ? "–" : (value / floor).ToString("F1", CultureInfo.InvariantCulture) + "×";

    public static string Kb(double bytes) => double.IsNaN(bytes) ? "–" : (bytes / 1024).ToString("N1", CultureInfo.InvariantCulture) + " KB";

    public static string Mb(double bytes) => (bytes / 1024 / 1024).ToString("N1", CultureInfo.InvariantCulture) + " MB";
}
