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

    /// <summary>Replaces the list; the caller passes origins already normalised by <see cref="Embedding.EmbedOrigin"/>.</summary>
    public void AllowEmbeddingFrom(IEnumerable<string> origins) => EmbedOrigins = origins.Distinct().ToArray();
}
