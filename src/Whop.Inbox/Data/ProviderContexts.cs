using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Whop.Inbox.Data.Sqlite;
using Whop.Inbox.Identity;
using Whop.Inbox.Messaging.Realtime;
using Whop.Inbox.Team;

namespace Whop.Inbox.Data;

// One model, one context per provider, each with its own migrations (Data/Migrations/Sqlite and
// Data/Migrations/Postgres), as EF Core's "Migrations with Multiple Providers" describes. Services
// never see these types: they take IDbContextFactory<InboxDbContext>.

/// <summary>The model on SQLite: times as Unix microseconds (SQLite cannot order DateTimeOffset), arrays as JSON.</summary>
public sealed class SqliteInboxDbContext(DbContextOptions<SqliteInboxDbContext> options) : InboxDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // The name search's case fold, registered on each connection by SqliteConnectionSetup.
        builder.HasDbFunction(typeof(SqliteDialect).GetMethod(nameof(SqliteDialect.Fold))!).HasName(SqliteDialect.FoldFunction);
        // Rows written before mentions were kept mention nobody.
        builder.Entity<Messaging.Message>().Property(m => m.Mentions).HasDefaultValueSql("'[]'");
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder conventions)
    {
        base.ConfigureConventions(conventions);
        conventions.Properties<DateTimeOffset>().HaveConversion<UnixMicrosecondsConverter>();
        conventions.Properties<DateTimeOffset?>().HaveConversion<UnixMicrosecondsConverter>();
    }
}

/// <summary>The model on PostgreSQL: native arrays and <c>jsonb</c>.</summary>
public sealed class PostgresInboxDbContext(DbContextOptions<PostgresInboxDbContext> options) : InboxDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<Company>().Property(c => c.EmbedOrigins).HasColumnType("text[]");
        builder.Entity<Messaging.Message>().Property(m => m.Mentions).HasColumnType("text[]").HasDefaultValueSql("'{}'");
        // Search walks the messages newest first when a word is common (SearchIndex.NewestAsync); SQLite reads its FTS index in that order.
        builder.Entity<Messaging.Message>().HasIndex(m => m.CreatedAt).HasDatabaseName("ix_messages_created_at");
        // A person found by any word of their name, username or email (Dialect.NameLike: ILIKE '% word%') without reading
        // every user: trigram indexes serve those patterns. pg_trgm ships with PostgreSQL and a database's owner may add it.
        builder.HasPostgresExtension("pg_trgm");
        builder.Entity<User>(user =>
        {
            user.HasIndex(u => u.Name, "ix_users_name_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
            user.HasIndex(u => u.UserName, "ix_users_user_name_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
            user.HasIndex(u => u.NormalizedEmail, "ix_users_normalized_email_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
        });
        builder.Entity<ChannelEventRecord>().Property(e => e.Payload).HasColumnType("jsonb");
    }
}

/// <summary>Hands out the provider's (pooled) context as the <see cref="InboxDbContext"/> every service asks for.</summary>
internal sealed class ProviderContextFactory<TContext>(IDbContextFactory<TContext> inner, DatabaseDialect dialect)
    : IDbContextFactory<InboxDbContext> where TContext : InboxDbContext
{
    public InboxDbContext CreateDbContext() => inner.CreateDbContext().Lent(dialect);

    public async Task<InboxDbContext> CreateDbContextAsync(CancellationToken ct = default) => (await inner.CreateDbContextAsync(ct)).Lent(dialect);
}

/// <summary>
/// A context of the provider's own type on a connection string, outside the app's services: for the
/// design-time tools, the copy command and tests that look at a database from outside the app.
/// </summary>
public static class ProviderContext
{
    public static InboxDbContext Open(DatabaseProvider provider, string connectionString)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var sqlite = new DbContextOptionsBuilder<SqliteInboxDbContext>();
            DataSetup.Configure(sqlite, provider, connectionString);
            return new SqliteInboxDbContext(sqlite.Options);
        }
        var postgres = new DbContextOptionsBuilder<PostgresInboxDbContext>();
        DataSetup.Configure(postgres, provider, connectionString);
        return new PostgresInboxDbContext(postgres.Options);
    }
}

// `dotnet ef migrations add` builds each context through these, without starting the app.

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteInboxDbContext>
{
    public SqliteInboxDbContext CreateDbContext(string[] args) =>
        (SqliteInboxDbContext)ProviderContext.Open(DatabaseProvider.Sqlite, "Data Source=design.db");
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresInboxDbContext>
{
    public PostgresInboxDbContext CreateDbContext(string[] args) =>
        (PostgresInboxDbContext)ProviderContext.Open(DatabaseProvider.Postgres, "Host=localhost");
}
