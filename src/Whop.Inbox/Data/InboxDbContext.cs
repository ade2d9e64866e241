using System.Data;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Audit;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.ApiKeys;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Realtime;
using Whop.Inbox.Messaging.Unread;
using Whop.Inbox.Support.Assignment;
using Whop.Inbox.Team;

namespace Whop.Inbox.Data;

/// <summary>
/// The one model. Identity's user tables plus the chat model; table and column names are
/// snake_case so hand-written SQL (benchmarks, ops) reads naturally. Each provider has a context of
/// its own (<see cref="SqliteInboxDbContext"/>, <see cref="PostgresInboxDbContext"/>) for what its
/// columns store differently and for its migrations.
/// </summary>
public abstract class InboxDbContext : IdentityUserContext<User, string>, IDataProtectionKeyContext
{
    protected InboxDbContext(DbContextOptions options) : base(options) => WithoutSavepoints();

    /// <summary>
    /// The context as the app's factory lends it from the pool, with its dialect. A pooled context comes back
    /// reset to EF Core's defaults, so what this context changes of them is set again on every loan.
    /// </summary>
    internal InboxDbContext Lent(DatabaseDialect dialect)
    {
        Dialect = dialect;
        WithoutSavepoints();
        _lent = true;
        return this;
    }

    /// <summary>
    /// Back to the pool with its transaction ended and its connection closed, through EF Core's own calls,
    /// which the interceptors see: the pool's reset would close an open connection behind them, and
    /// admission would never get that connection's place back. Once per loan (a second dispose is a no-op).
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        if (_lent)
        {
            _lent = false;
            if (Database.CurrentTransaction is { } uncommitted) await uncommitted.DisposeAsync();
            if (Database.GetDbConnection().State != ConnectionState.Closed) await Database.CloseConnectionAsync();
        }
        await base.DisposeAsync();
    }

    public override void Dispose()
    {
        if (_lent)
        {
            _lent = false;
            Database.CurrentTransaction?.Dispose();
            if (Database.GetDbConnection().State != ConnectionState.Closed) Database.CloseConnection();
        }
        base.Dispose();
    }

    private bool _lent;

    /// <summary>
    /// SaveChanges inside our own transactions would wrap each save in a savepoint (two more round trips per
    /// save, on every message sent). Nothing here recovers from a failed save by rolling back to one: a
    /// failure rolls back the whole transaction.
    /// </summary>
    private void WithoutSavepoints() => Database.AutoSavepointsEnabled = false;

    /// <summary>What this context's database does differently (locks, events, name search); set by the app's context factory.</summary>
    public DatabaseDialect Dialect
    {
        get => _dialect ?? throw new InvalidOperationException("This context was not made by the app's IDbContextFactory<InboxDbContext>.");
        internal set => _dialect = value;
    }

    private DatabaseDialect? _dialect;

    public DbSet<Company> Companies => Set<Company>();
    public DbSet<TeamMember> TeamMembers => Set<TeamMember>();
    public DbSet<Channel> Channels => Set<Channel>();
    public DbSet<ChannelMember> ChannelMembers => Set<ChannelMember>();
    public DbSet<Message> Messages => Set<Message>();
    public DbSet<Reaction> Reactions => Set<Reaction>();
    public DbSet<Messaging.Polls.PollVote> PollVotes => Set<Messaging.Polls.PollVote>();
    public DbSet<SupportStatusTally> SupportStatusTallies => Set<SupportStatusTally>();
    public DbSet<SupportReadTally> SupportReadTallies => Set<SupportReadTally>();
    public DbSet<SupportAssigneeTally> SupportAssigneeTallies => Set<SupportAssigneeTally>();
    public DbSet<Support.SavedReplies.SavedReply> SavedReplies => Set<Support.SavedReplies.SavedReply>();
    public DbSet<PresenceRecord> Presence => Set<PresenceRecord>();
    public DbSet<Webhooks.WebhookEndpoint> WebhookEndpoints => Set<Webhooks.WebhookEndpoint>();
    public DbSet<Webhooks.WebhookDelivery> WebhookDeliveries => Set<Webhooks.WebhookDelivery>();
    public DbSet<Webhooks.WebhookAttempt> WebhookAttempts => Set<Webhooks.WebhookAttempt>();
    public DbSet<ChannelEventRecord> ChannelEvents => Set<ChannelEventRecord>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<Files.StoredFile> Files => Set<Files.StoredFile>();
    public DbSet<Files.FileChunk> FileChunks => Set<Files.FileChunk>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Support.Labels.Label> Labels => Set<Support.Labels.Label>();
    public DbSet<Support.Labels.ChatLabel> ChatLabels => Set<Support.Labels.ChatLabel>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<User>().ToTable("users");
        builder.Entity<IdentityUserClaim<string>>().ToTable("user_claims");
        builder.Entity<IdentityUserLogin<string>>().ToTable("user_logins");
        builder.Entity<IdentityUserToken<string>>().ToTable("user_tokens");

        builder.ApplyConfigurationsFromAssembly(typeof(InboxDbContext).Assembly);
        SnakeCaseNames.Apply(builder);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder conventions)
    {
        foreach (var enumType in new[] { typeof(ChannelKind), typeof(SupportStatus), typeof(MemberStatus),
                     typeof(NotificationPreference), typeof(MessageType), typeof(TeamRole), typeof(MessageVisibility), typeof(Webhooks.DeliveryState) })
        {
            conventions.Properties(enumType).HaveConversion(typeof(SnakeCaseEnumConverter<>).MakeGenericType(enumType));
        }
    }
}
