using Whop.Inbox.Data;

namespace Whop.Inbox.Team;

public sealed class Company
{
    private Company() { }

    public Company(string name, DateTimeOffset createdAt)
    {
        Id = PublicId.New(PublicId.Company);
        Name = name;
        CreatedAt = createdAt;
    }

    public string Id { get; private set; } = "";
    public string Name { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>
    /// The web origins (<c>https://app.example.com</c>) whose pages may frame this company's chat and
    /// DMs-list elements; none means no site may.
    /// </summary>
    public string[] EmbedOrigins { get; private set; } = [];

    /// <summary>
    /// Whether new chats, and chats that reopen while their assignee is away, go round robin to a team
    /// member who is online (see <see cref="Support.Assignment.AutoAssignment"/>). Off by default.
    /// </summary>
    public bool AutoAssign { get; private set; }

    public void SetAutoAssign(bool on) => AutoAssign = on;

    // The business hours, as four columns; all null until an admin sets them (every day, all day, UTC).
    private string? BusinessTimeZone { get; set; }
    private Support.Reports.WorkingDays? BusinessDays { get; set; }
    private TimeOnly? BusinessStart { get; set; }
    private TimeOnly? BusinessEnd { get; set; }

    /// <summary>When the team works: what response and resolution times count (see <see cref="Support.Reports.ResponseTimes"/>).</summary>
    public Support.Reports.BusinessHours BusinessHours => BusinessTimeZone is { } zone
        ? new(zone, BusinessDays!.Value, BusinessStart!.Value, BusinessEnd!.Value)
        : Support.Reports.BusinessHours.AllDay;

    /// <summary>The caller checked the hours (<see cref="Support.Reports.BusinessHours.Check"/>).</summary>
    public void SetBusinessHours(Support.Reports.BusinessHours hours)
    {
        BusinessTimeZone = hours.TimeZoneId;
        BusinessDays = hours.Days;
        BusinessStart = hours.Start;
        BusinessEnd = hours.End;
    }

    /// <summary>Replaces the list; the caller passes origins already normalised by <see cref="Embedding.EmbedOrigin"/>.</summary>
    public void AllowEmbeddingFrom(IEnumerable<string> origins) => EmbedOrigins = origins.Distinct().ToArray();
}
