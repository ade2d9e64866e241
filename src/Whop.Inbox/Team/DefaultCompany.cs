using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Data;

namespace Whop.Inbox.Team;

/// <summary>
/// The company this installation serves by default: the browser UI's inbox and the bootstrap API
/// key act for it. It is the oldest company; start-up makes sure one exists.
/// </summary>
public sealed class DefaultCompany(IDbContextFactory<InboxDbContext> contexts)
{
    private string? _id;

    public async Task<string> IdAsync(CancellationToken ct = default)
    {
        if (_id is not null) return _id;
        await using var db = await contexts.CreateDbContextAsync(ct);
        _id = await db.Companies.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).Select(c => c.Id).FirstOrDefaultAsync(ct)
              ?? throw new InvalidOperationException("No company exists yet; start-up creates one before serving requests.");
        return _id;
    }
}
