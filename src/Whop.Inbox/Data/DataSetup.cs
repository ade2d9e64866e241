using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Whop.Inbox.Admission;
using Whop.Inbox.Data.Postgres;
using Whop.Inbox.Data.Sqlite;
using Whop.Inbox.Team;

namespace Whop.Inbox.Data;

public static class DataSetup
{
    public const string ConnectionStringName = "Inbox";
    internal const string MigrationsHistoryTable = "ef_migrations_history";

    public static IHostApplicationBuilder AddInboxData(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var options = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();

        // The benchmarks' statement counts (Inbox:StatementDiagnostics); no interceptor at all otherwise.
        var counter = StatementCounting.IsOn(builder.Configuration) ? new StatementCounter() : null;
        if (counter is not null) services.AddSingleton(counter);
        IInterceptor[] counting = counter is null ? [] : [counter];

        // One short-lived context per operation: services and components take the factory,
        // never a context that would live as long as a Blazor circuit. The contexts are pooled: a send
        // takes several, and a new one would build its internal services each time (about 5% of a
        // send's CPU); a pooled one comes back reset, its options and interceptors shared by all.
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                var path = Path.GetFullPath(options.Path, builder.Environment.ContentRootPath);
                var sqlite = new SqliteConnectionStringBuilder
                {
                    DataSource = path,
                    Pooling = true,
                    DefaultTimeout = Math.Max(1, (int)options.BusyTimeout.TotalSeconds),
                }.ToString();
                // Made by the container (not handed to it) so that it is disposed, releasing the file, when the app stops.
                services.AddSingleton(_ => new SqliteInstanceLock(path));
                services.AddSingleton<SqliteEventPublisher>();
                // One per app, not per context: the write turns are the instance's.
                services.AddSingleton(_ => new SqliteWriteTransactions(options.BusyTimeout));
                services.AddSingleton<DatabaseDialect, SqliteDialect>();
                services.AddPooledDbContextFactory<SqliteInboxDbContext>((sp, o) => Configure(o, DatabaseProvider.Sqlite, sqlite)
                    // The publisher before the write turns: a commit's events are queued before the next writer's turn.
                    .AddInterceptors(sp.GetRequiredService<AdmissionInterceptor>(), new SqliteConnectionSetup(options.BusyTimeout),
                        sp.GetRequiredService<SqliteEventPublisher>(), sp.GetRequiredService<SqliteWriteTransactions>()).AddInterceptors(counting));
                services.AddSingleton<IDbContextFactory<InboxDbContext>, ProviderContextFactory<SqliteInboxDbContext>>();
                break;

            case DatabaseProvider.Postgres:
                var postgres = builder.Configuration.GetConnectionString(ConnectionStringName);
                if (string.IsNullOrWhiteSpace(postgres))
                    throw new InvalidOperationException(
                        $"Inbox:Database:Provider is postgres but ConnectionStrings:{ConnectionStringName} is not set. Give a PostgreSQL " +
                        $"connection string in appsettings.json or the environment variable ConnectionStrings__{ConnectionStringName}.");
                services.AddSingleton<DatabaseDialect, PostgresDialect>();
                postgres = PostgresDialect.WithPreparedStatements(postgres);
                services.AddPooledDbContextFactory<PostgresInboxDbContext>((sp, o) => Configure(o, DatabaseProvider.Postgres, postgres)
                    .AddInterceptors(sp.GetRequiredService<AdmissionInterceptor>()).AddInterceptors(counting));
                services.AddSingleton<IDbContextFactory<InboxDbContext>, ProviderContextFactory<PostgresInboxDbContext>>();
                break;

            default:
                throw new InvalidOperationException($"Inbox:Database:Provider must be sqlite or postgres, not {options.Provider}.");
        }
        // For the framework's stores (Identity, the Data Protection key ring), which ask for a context per scope.
        services.AddScoped<InboxDbContext>(sp => sp.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContext());

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<DefaultCompany>();
        services.AddSingleton<DemoData>();
        // Brings the database up to date before anything else that needs it starts.
        services.AddHostedService<DatabaseStartup>();
        if (options.Provider == DatabaseProvider.Postgres) services.AddHostedService<PostgresEventListener>();
        return builder;
    }

    /// <summary>The provider and its migrations history table: for the app, the design-time tools and the tests alike.</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString) =>
        provider switch
    {
        DatabaseProvider.Sqlite => options.UseSqlite(connectionString, o => o.MigrationsHistoryTable(MigrationsHistoryTable)),
        _ => options.UseNpgsql(connectionString, o => o.MigrationsHistoryTable(MigrationsHistoryTable)),
    };
}
