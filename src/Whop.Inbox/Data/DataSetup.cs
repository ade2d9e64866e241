using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Whop.Inbox.Team;

namespace Whop.Inbox.Data;

public static class DataSetup
{
    public const string ConnectionStringName = "Inbox";

    public static IHostApplicationBuilder AddInboxData(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException(
                $"ConnectionStrings:{ConnectionStringName} is not set. Give a PostgreSQL connection string in appsettings.json " +
                $"or the environment variable ConnectionStrings__{ConnectionStringName}.");

        // One short-lived context per operation: services and components take the factory,
        // never a context that would live as long as a Blazor circuit.
        builder.Services.AddDbContextFactory<InboxDbContext>(o => o
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("ef_migrations_history"))
            // Migrations are written by hand (the design-time package does not restore here), so
            // there is no model snapshot to compare against; a test compares the schemas instead.
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning)));

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DefaultCompany>();
        builder.Services.AddSingleton<DemoData>();
        builder.Services.AddHostedService<DatabaseStartup>();
        return builder;
    }
}
