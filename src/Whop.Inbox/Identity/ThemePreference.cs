using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Data;

namespace Whop.Inbox.Identity;

/// <summary>
/// Light or dark, as a person picked it (kept as one of their Identity claims, so it follows them to
/// any browser); null until they pick, and the app follows the operating system meanwhile.
/// </summary>
public sealed class ThemePreference(IDbContextFactory<InboxDbContext> contexts)
{
    public const string ClaimType = "inbox:theme";

    public async Task<bool?> DarkModeOfAsync(string? userId, CancellationToken ct = default)
    {
        if (userId is null) return null;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var value = await db.UserClaims.Where(c => c.UserId == userId && c.ClaimType == ClaimType)
            .Select(c => c.ClaimValue).FirstOrDefaultAsync(ct);
        return value switch { "dark" => true, "light" => false, _ => null };
    }

    public async Task SaveAsync(string? userId, bool dark, CancellationToken ct = default)
    {
        if (userId is null) return;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var value = dark ? "dark" : "light";
        var claim = await db.UserClaims.FirstOrDefaultAsync(c => c.UserId == userId && c.ClaimType == ClaimType, ct);
        if (claim is null) db.UserClaims.Add(new() { UserId = userId, ClaimType = ClaimType, ClaimValue = value });
        else claim.ClaimValue = value;
        await db.SaveChangesAsync(ct);
    }
}
