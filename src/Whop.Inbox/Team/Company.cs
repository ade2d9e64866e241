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
}
