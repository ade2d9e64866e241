using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Microsoft.Data.Sqlite;
using Whop.Inbox.Data;
using Whop.Inbox.Identity;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Data;

/// <summary>One model on two databases: migrations, the single-instance rule, start-up faults, the key ring, the name search.</summary>
public sealed class TwoProvidersTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public void Each_providers_migrations_and_snapshot_have_every_change_of_the_model(DatabaseProvider provider)
    {
        using InboxDbContext db = provider == DatabaseProvider.Sqlite
            ? new SqliteDesignTimeFactory().CreateDbContext([])
            : new PostgresDesignTimeFactory().CreateDbContext([]);
        db.Database.GetMigrations().ShouldNotBeEmpty();
        db.Database.HasPendingModelChanges().ShouldBeFalse(
            $"the model has a change the {provider} migrations lack: add a migration for each provider (docs/databases.md, \"Adding a migration\")");
    }

    [Fact, Trait(DatabaseTrait.Name, DatabaseTrait.Sqlite)]
    public async Task A_second_instance_on_the_same_SQLite_file_refuses_to_start_and_says_several_instances_need_PostgreSQL()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var first = InboxApp.Over(database);
        await first.InitializeAsync();

        await using var second = InboxApp.Over(database);
        var refused = await Should.ThrowAsync<InvalidOperationException>(second.InitializeAsync);
        refused.Message.ShouldContain(database.SqlitePath);
        refused.Message.ShouldContain("several instances need PostgreSQL");

        // The first one is unaffected.
        (await first.CreateHttpClient().GetAsync("/healthz")).IsSuccessStatusCode.ShouldBeTrue();
    }

    [Fact, Trait(DatabaseTrait.Name, DatabaseTrait.Sqlite)]
    public async Task A_database_file_that_cannot_be_created_stops_start_up_with_a_message_naming_the_path()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        // The folder the file should go in is a file: nothing, not even root, can create the database there.
        var folder = Path.GetDirectoryName(database.SqlitePath)!;
        Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
        await File.WriteAllTextAsync(folder, "not a folder");
        try
        {
            await using var app = InboxApp.Over(database);
            var refused = await Should.ThrowAsync<InvalidOperationException>(app.InitializeAsync);
            refused.Message.ShouldContain(database.SqlitePath);
        }
        finally
        {
            File.Delete(folder);
        }
    }

    [Fact]
    public async Task A_key_ring_written_by_the_earlier_key_store_still_opens_what_it_protected()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using (var db = database.CreateContext()) await db.Database.MigrateAsync();

        // What the app's own key store wrote before the framework's took over: one row per key, its XML unformatted.
        var before = new ServiceCollection().AddDataProtection().SetApplicationName("Whop.Inbox").Services
            .Configure<KeyManagementOptions>(o => o.XmlRepository = new EarlierKeyStore(database))
            .BuildServiceProvider();
        var issued = before.GetRequiredService<IDataProtectionProvider>().CreateProtector("Whop.Inbox.Tests").Protect("signed in as maya");

        await using var app = InboxApp.Over(database);
        await app.InitializeAsync();
        var after = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Whop.Inbox.Tests");
        after.Unprotect(issued).ShouldBe("signed in as maya");
        await using var check = database.CreateContext();
        (await check.DataProtectionKeys.CountAsync()).ShouldBe(1, "the app found the key and made none of its own");
    }

    [Theory]
    [InlineData("INÈS")]
    [InlineData("inès")]
    [InlineData("Dubois")]
    [InlineData("DUB")]
    public async Task The_name_search_ignores_case_in_any_script(string typed)
    {
        await using var app = new InboxApp();
        await app.InitializeAsync();
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        var found = await db.Users.Matching(db.Dialect, typed).ToListAsync();
        found.Select(u => u.Name).ShouldContain("Inès Dubois");
    }

    /// <summary>The rows the app's hand-written key store (before DataProtection.EntityFrameworkCore) wrote.</summary>
    private sealed class EarlierKeyStore(TestDatabase database) : IXmlRepository
    {
        public IReadOnlyCollection<XElement> GetAllElements()
        {
            using var db = database.CreateContext();
            return db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml!).AsEnumerable().Select(XElement.Parse).ToList();
        }

        public void StoreElement(XElement element, string friendlyName)
        {
            using var db = database.CreateContext();
            db.Database.ExecuteSql($"INSERT INTO data_protection_keys (friendly_name, xml) VALUES ({friendlyName}, {element.ToString(SaveOptions.DisableFormatting)})");
        }
    }
}
