using System.Text.RegularExpressions;
using Whop.Inbox.Common;
using Whop.Inbox.Data;

namespace Whop.Inbox.Support.Labels;

/// <summary>
/// A company's label (<c>label_</c>), such as <em>billing</em> in green: the team puts labels on support
/// chats to tell them apart, and the inbox filters by them. Names are unique in the company whatever their case.
/// </summary>
public sealed partial class Label
{
    public const int MaxNameLength = 50;

    private Label() { }

    public Label(string companyId, string name, string color, DateTimeOffset at)
    {
        Id = PublicId.New(PublicId.Label);
        CompanyId = companyId;
        CreatedAt = at;
        Rename(name);
        Recolor(color);
    }

    public string Id { get; private set; } = "";
    public string CompanyId { get; private set; } = "";
    public string Name { get; private set; } = "";

    /// <summary>The name as the uniqueness check compares it: <em>Billing</em> and <em>billing</em> are one label.</summary>
    public string NormalizedName { get; private set; } = "";

    /// <summary><c>#rrggbb</c>, lower case.</summary>
    public string Color { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public void Rename(string name)
    {
        Name = name;
        NormalizedName = Normalize(name);
    }

    public void Recolor(string color) => Color = color.ToLowerInvariant();

    public LabelView View => new(Id, Name, Color);

    public static string Normalize(string name) => name.Trim().ToUpperInvariant();

    /// <summary>A name as given, trimmed, or why it will not do.</summary>
    public static Outcome<string> CheckName(string? name)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed)) return Failure.Invalid("name", "name is required.");
        if (trimmed.Length > MaxNameLength) return Failure.Invalid("name", $"name can be at most {MaxNameLength} characters.");
        if (StoredText.Check("name", trimmed) is { } unreadable) return unreadable;
        return trimmed;
    }

    /// <summary>A colour as <c>#rrggbb</c> (lower case), or why it is not one.</summary>
    public static Outcome<string> CheckColor(string? color) =>
        color is not null && ColorPattern().IsMatch(color)
            ? color.ToLowerInvariant()
            : Failure.Rejected("color must be a colour written #rrggbb, such as #2e7d32.", "color");

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex ColorPattern();
}

/// <summary>That a support chat carries a label: the row the inbox's label filter looks up (by label, then chat).</summary>
public sealed class ChatLabel
{
    private ChatLabel() { }

    public ChatLabel(string channelId, string labelId, DateTimeOffset at)
    {
        ChannelId = channelId;
        LabelId = labelId;
        CreatedAt = at;
    }

    public string ChannelId { get; private set; } = "";
    public string LabelId { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
}

/// <summary>A label as a chat, an event and the API show it.</summary>
public sealed record LabelView(string Id, string Name, string Color);
