using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Data;
using Whop.Inbox.Messaging;
using Whop.Inbox.Team;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Data;

public sealed class StartupTests
{
    [Fact, Trait(DatabaseTrait.Name, DatabaseTrait.Postgres)]
    public async Task Two_instances_starting_at_once_on_an_empty_database_migrate_and_seed_it_once_and_share_one_key_ring()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var first = InboxApp.Over(database);
        await using var second = InboxApp.Over(database);

        await Task.WhenAll(Task.Run(first.InitializeAsync), Task.Run(second.InitializeAsync));

        await using var db = await first.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        (await db.Companies.CountAsync()).ShouldBe(1);
        (await db.Users.CountAsync()).ShouldBe(23);
        (await db.DataProtectionKeys.CountAsync()).ShouldBe(1);

        // A token issued by one instance is accepted by the other.
        var maya = await db.Users.Where(u => u.UserName == "maya").Select(u => u.Id).SingleAsync();
        var issued = await (await first.WithBearer(InboxApp.BootstrapApiKey).PostJsonAsync("/api/v1/access_tokens", new { user_id = maya })).JsonAsync();
        var onSecond = await second.WithBearer(issued["token"]!.GetValue<string>()).GetAsync("/api/v1/api_keys");
        ((int)onSecond.StatusCode).ShouldBe(403, "authenticated by the second instance, refused only for lack of the right");
    }

    [Fact]
    public async Task A_restart_on_a_database_with_data_seeds_nothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using (var first = InboxApp.Over(database)) await first.InitializeAsync();

        await using var again = InboxApp.Over(database);
        await again.InitializeAsync();
        await using var db = await again.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        (await db.Companies.CountAsync()).ShouldBe(1);
        (await db.Channels.CountAsync(c => c.Kind == ChannelKind.Support)).ShouldBe(14);
    }

    [Fact]
    public async Task A_start_on_a_database_one_migration_behind_applies_that_migration()
    {
        await using var database = await TestDatabase.CreateAsync();
        string newest;
        await using (var behind = database.CreateContext())
        {
            var migrations = behind.Database.GetMigrations().ToList();
            newest = migrations[^1];
            await behind.GetService<IMigrator>().MigrateAsync(migrations[^2]);
            (await behind.Database.GetPendingMigrationsAsync()).ShouldBe([newest]);
        }

        await using var app = InboxApp.Over(database);
        await app.InitializeAsync();
        await using var db = database.CreateContext();
        (await db.Database.GetPendingMigrationsAsync()).ShouldBeEmpty();
        (await db.Database.GetAppliedMigrationsAsync()).ShouldContain(newest);
    }

    [Fact]
    public async Task Healthz_says_the_database_answers()
    {
        await using var app = new InboxApp();
        await app.InitializeAsync();
        var response = await app.CreateHttpClient().GetAsync("/healthz");
        ((int)response.StatusCode).ShouldBe(200);
        var body = await response.Content.ReadFromJsonAsync<Dictionary<string, string>>();
        body!["database"].ShouldBe("up");
        body["provider"].ShouldBe(app.Database.Provider.ToString().ToLowerInvariant());
    }

    [Fact]
    public async Task The_health_check_reports_a_database_that_does_not_answer()
    {
        var options = new DbContextOptionsBuilder<PostgresInboxDbContext>()
            .UseNpgsql("Host=127.0.0.1;Port=1;Database=nowhere;Username=x;Password=x;Timeout=2").Options;
        var check = new DatabaseHealthCheck(new ProviderContextFactory<PostgresInboxDbContext>(
            new PooledDbContextFactory<PostgresInboxDbContext>(options), new Whop.Inbox.Data.Postgres.PostgresDialect()));
        var result = await check.CheckHealthAsync(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext());
        result.Status.ShouldBe(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy);
    }
}

/// <summary>
/// The demo data as seeded: on an app of its own, as the shared app's chats are resolved, snoozed and
/// changed in bulk by the other tests.
/// </summary>
public sealed class DemoDataTests
{
    [Fact]
    public async Task The_demo_company_has_a_team_customers_chats_in_every_state_and_dms()
    {
        await using var app = new InboxApp();
        await app.InitializeAsync();
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        var company = await db.Companies.SingleAsync(c => c.Name == DemoData.CompanyName);
        // The seeded team.
        var team = await db.TeamMembers.Where(m => m.CompanyId == company.Id)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { u.UserName, m.Role }).ToListAsync();
        team.ShouldContain(m => m.UserName == "admin" && m.Role == TeamRole.Admin);
        team.ShouldContain(m => m.UserName == "maya" && m.Role == TeamRole.Moderator);
        team.ShouldContain(m => m.UserName == "omar" && m.Role == TeamRole.Moderator);

        var teamIds = db.TeamMembers.Select(m => m.UserId);
        (await db.Users.CountAsync(u => u.UserName!.Length < 10 && !teamIds.Contains(u.Id))).ShouldBeGreaterThanOrEqualTo(20);

        var statuses = await db.Channels.Where(c => c.CompanyId == company.Id && c.Kind == ChannelKind.Support)
            .Select(c => c.Status).ToListAsync();
        statuses.ShouldContain(SupportStatus.Open);
        statuses.ShouldContain(SupportStatus.Waiting);
        statuses.ShouldContain(SupportStatus.Resolved);

        var dmSizes = await db.Channels.Where(c => c.CompanyId == company.Id && c.Kind == ChannelKind.Dm)
            .Select(c => c.MemberCount).ToListAsync();
        dmSizes.ShouldContain(2);
        dmSizes.ShouldContain(s => s > 2);

        // Every support chat is a real conversation, and its activity time is its last message.
        var chats = await db.Channels.Where(c => c.Kind == ChannelKind.Support && c.CompanyId == company.Id)
            .Select(c => new { c.LastMessageAt, Last = db.Messages.Where(m => m.ChannelId == c.Id).Max(m => m.CreatedAt) })
            .ToListAsync();
        chats.ShouldAllBe(c => c.LastMessageAt <= c.Last);
    }
}
