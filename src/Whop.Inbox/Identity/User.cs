using Microsoft.AspNetCore.Identity;
using Whop.Inbox.Data;

namespace Whop.Inbox.Identity;

/// <summary>
/// Everyone who can take part in a conversation: team members and customers alike. Customers
/// synced from an embedding app may have no password; they act through access tokens.
/// </summary>
public sealed class User : IdentityUser<string>
{
    private User() { }

    public User(string userName, string name, string? email, DateTimeOffset createdAt, string? externalId = null)
    {
        Id = PublicId.New(PublicId.User);
        UserName = userName;
        Name = name;
        Email = email;
        ExternalId = externalId;
        CreatedAt = createdAt;
        SecurityStamp = Guid.NewGuid().ToString("N");
        // Repeated wrong passwords lock the account for a while (Identity's default is off for
        // users created outside UserManager).
        LockoutEnabled = true;
    }

    /// <summary>Display name, as Whop's <c>user.name</c>.</summary>
    public string Name { get; private set; } = "";

    /// <summary>The embedding app's own id for this person, when synced from it.</summary>
    public string? ExternalId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public void UpdateProfile(string name, string? email)
    {
        Name = name;
        Email = email;
    }
}
