using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Whop.Inbox.Team;

namespace Whop.Inbox.Data;

/// <summary>
/// Brings the database up to date before the server takes requests: applies migrations, makes
/// sure a company exists (with demo data when configured and the database is empty) and that the
/// shared Data Protection key ring has a key. Instances starting together take turns through a
/// PostgreSQL advisory lock, so the second sees the first's work instead of repeating it.
/// </summary>
internal sealed partial class DatabaseStartup(
    IDbContextFactory<InboxDbContext> contexts,
    IServiceProvider services,
    IOptions<InboxOptions> options,
    ILogger<DatabaseStartup> logger) : IHostedService
{
    // Any fixed 64-bit number, the same for every instance of this app.
    private const long StartupLockKey = 0x5748_4F50_494E_4258;

    public async Task StartAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({StartupLockKey})", ct);
        try
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
            if (pending.Count > 0)
            {
                LogApplyingMigrations(pending.Count, string.Join(", ", pending));
                await db.Database.MigrateAsync(ct);
            }

            if (!await db.Companies.AnyAsync(ct))
            {
                if (options.Value.SeedDemoData)
                {
                    await services.GetRequiredService<DemoData>().SeedAsync(ct);
                    LogSeeded();
                }
                else
                {
                    db.Companies.Add(new Company(options.Value.CompanyName, DateTimeOffset.UtcNow));
                    await db.SaveChangesAsync(ct);
                }
            }

            // Creates the first Data Protection key while we hold the lock, so concurrent first
            // starts agree on one key instead of each minting its own.
            services.GetRequiredService<IDataProtectionProvider>().CreateProtector("startup").Protect([1]);
        }
        finally
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({StartupLockKey})", CancellationToken.None);
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Information, "Applying {Count} database migration(s): {Migrations}")]
    private partial void LogApplyingMigrations(int count, string migrations);

    [LoggerMessage(LogLevel.Information, "Seeded the demo company into an empty database")]
    private partial void LogSeeded();
}
