using Microsoft.Extensions.Options;
using Npgsql;
using Whop.Inbox.Data;

namespace Whop.Inbox.Admission;

/// <summary>
/// Who asks for database work: one caller (an API key, a person, or an address or page for those not
/// signed in) and the company their credential is bound to, if any.
/// </summary>
public readonly record struct Caller(string Partition, string? CompanyId);

/// <summary>
/// The bound on work waiting for the database (<see cref="AdmissionOptions"/>): at most so many
/// requests, hub calls and page actions at once on this instance. Nothing queues: work over the
/// bound is refused at once, so a refusal costs microseconds, accepted work keeps its latency, and
/// the database goes on serving at its best rate instead of collapsing under a queue (and no
/// connection-pool time-out is ever how work is refused).
/// <para>
/// Fair shares: one caller may hold at most half the bound, so a flood from one credential or address
/// always leaves room for the others, its own company's people included. One company's callers
/// together may hold three quarters, and past that they are admitted only while a quarter of the bound
/// stays free: the rest is the other companies' and the team's in the browser (signed in by cookie,
/// which names no company).
/// </para>
/// <para>
/// An API request or hub call is admitted whole (<see cref="TryAdmit"/>): once in, none of its
/// statements is refused halfway. Elsewhere (pages, the circuits' clicks) each connection is
/// admitted as it opens (<see cref="AdmissionInterceptor"/>) for the caller the entry point named
/// (<see cref="ActFor"/>). The app's own background work names no caller and is not bounded here.
/// </para>
/// </summary>
public sealed class DatabaseAdmission
{
    private static readonly AsyncLocal<Scope?> Current = new();

    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _heldByCaller = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _heldByCompany = new(StringComparer.Ordinal);
    private int _held;
    private long _refusedAtCapacity, _refusedPastCallerShare, _refusedPastCompanyShare;

    public DatabaseAdmission(IOptions<AdmissionOptions> options, IOptions<DatabaseOptions> database, IConfiguration configuration)
    {
        var settings = options.Value;
        Capacity = settings.MaxConcurrent > 0 ? settings.MaxConcurrent : DefaultCapacity(database.Value.Provider, configuration);
        CallerShare = Share(settings.CallerSharePercent);
        CompanyShare = Share(settings.CompanySharePercent);
        Reserve = Capacity * settings.ReservePercent / 100;
        RetryAfterSeconds = settings.RetryAfterSeconds;
    }

    /// <summary>How much work may be under way at once on this instance.</summary>
    public int Capacity { get; }

    /// <summary>How much of it one caller may hold.</summary>
    public int CallerShare { get; }

    /// <summary>How much of it the callers of one company may always hold together (if there is room).</summary>
    public int CompanyShare { get; }

    /// <summary>What a company past its share must leave free for the others.</summary>
    public int Reserve { get; }

    public int RetryAfterSeconds { get; }

    /// <summary>How much work is under way now.</summary>
    public int Held
    {
        get
        {
            lock (_gate) return _held;
        }
    }

    /// <summary>How many times work was refused since the start, for diagnostics.</summary>
    public long Refused => RefusedAtCapacity + RefusedPastCallerShare + RefusedPastCompanyShare;

    /// <summary>Refused because the bound was full.</summary>
    public long RefusedAtCapacity => Interlocked.Read(ref _refusedAtCapacity);

    /// <summary>Refused because its caller already held its share.</summary>
    public long RefusedPastCallerShare => Interlocked.Read(ref _refusedPastCallerShare);

    /// <summary>Refused because its company held its share and only the others' reserve was free.</summary>
    public long RefusedPastCompanyShare => Interlocked.Read(ref _refusedPastCompanyShare);

    /// <summary>
    /// Admits a whole piece of work (an API request, a hub call) for <paramref name="caller"/>, or
    /// refuses it (null). Dispose the admission when the work ends; until then the connections it
    /// opens are not admitted again.
    /// </summary>
    public Admitted? TryAdmit(Caller caller)
    {
        if (!TryTake(caller)) return null;
        var admitted = new Admitted(this, caller, Current.Value);
        Current.Value = Scope.Whole;
        return admitted;
    }

    /// <summary>
    /// Starts the app's own work (a subscription's pump, a probe) from wherever it is asked for, without
    /// the caller's admission: what a caller started must not be refused, or counted, as the caller's
    /// once that call is over.
    /// </summary>
    public static Task RunAsAppWork(Func<Task> work) => Task.Run(() =>
    {
        Current.Value = null;
        return work();
    });

    /// <summary>
    /// Admits, now, work this flow hands to another to do for it (a send queued for a batch that another
    /// caller may write, on its own connection): for the caller <see cref="ActFor"/> named, as a connection of
    /// its own would be, or throws <see cref="DatabaseBusyException"/>. Null when there is nothing to admit
    /// (work admitted whole, or the app's own). Hold the place until the work is answered; the flow that does
    /// it runs as the app's own work (<see cref="ActAsApp"/>), so it is not admitted twice.
    /// </summary>
    public Admitted? AdmitHandedOn() => AdmitConnection();

    /// <summary>
    /// From here on in this flow (an async method: its caller's flow is untouched), work is the app's own and
    /// its connections are not admitted: for work already admitted where it was handed on (<see cref="AdmitHandedOn"/>).
    /// </summary>
    public static void ActAsApp() => Current.Value = null;

    /// <summary>From here on (in this flow of work), each database connection opened is admitted for <paramref name="caller"/>.</summary>
    public static void ActFor(Caller caller) => Current.Value = new Scope(caller);

    /// <summary>
    /// Admits one connection about to open, as <see cref="ActFor"/> asked (null when there is nothing
    /// to admit: work admitted whole, or the app's own), or throws <see cref="DatabaseBusyException"/>.
    /// </summary>
    internal Admitted? AdmitConnection()
    {
        if (Current.Value is not { Caller: { } caller }) return null;
        return TryTake(caller) ? new Admitted(this, caller, outer: null, restoresScope: false) : throw new DatabaseBusyException(RetryAfterSeconds);
    }

    private bool TryTake(Caller caller)
    {
        lock (_gate)
        {
            var free = Capacity - _held;
            var byCaller = _heldByCaller.GetValueOrDefault(caller.Partition);
            var byCompany = caller.CompanyId is { } company ? _heldByCompany.GetValueOrDefault(company) : 0;
            if (free <= 0)
            {
                _refusedAtCapacity++;
                return false;
            }
            if (byCaller >= CallerShare)
            {
                _refusedPastCallerShare++;
                return false;
            }
            if (byCompany >= CompanyShare && free <= Reserve)
            {
                _refusedPastCompanyShare++;
                return false;
            }
            _held++;
            _heldByCaller[caller.Partition] = byCaller + 1;
            if (caller.CompanyId is { } held) _heldByCompany[held] = byCompany + 1;
            return true;
        }
    }

    private void Give(Caller caller)
    {
        lock (_gate)
        {
            _held--;
            // Counts at zero are removed: a flood of addresses leaves nothing behind.
            Decrement(_heldByCaller, caller.Partition);
            if (caller.CompanyId is { } company) Decrement(_heldByCompany, company);
        }
    }

    private static void Decrement(Dictionary<string, int> held, string key)
    {
        if (held.TryGetValue(key, out var count) && count > 1) held[key] = count - 1;
        else held.Remove(key);
    }

    private int Share(int percent) => Math.Max(1, Capacity * percent / 100);

    /// <summary>8 per processor, at least 16; on PostgreSQL, never more than nine tenths of the connection pool.</summary>
    private static int DefaultCapacity(DatabaseProvider provider, IConfiguration configuration)
    {
        // More at once adds no throughput once the processors are busy (the work is theirs, in the app
        // and the database alike), only latency: each admitted piece waits behind all the others.
        var capacity = Math.Max(16, 8 * Environment.ProcessorCount);
        if (provider != DatabaseProvider.Postgres) return capacity;
        var connectionString = configuration.GetConnectionString(DataSetup.ConnectionStringName);
        var pool = connectionString is null ? 100 : new NpgsqlConnectionStringBuilder(connectionString).MaxPoolSize;
        // The rest of the pool is for the app's own work (pruning, probes, the pages' live updates).
        return Math.Clamp(pool - pool / 10, 1, capacity);
    }

    /// <summary>What the current flow of work is: admitted whole (no caller), or acting for a caller connection by connection.</summary>
    internal sealed record Scope(Caller? Caller)
    {
        public static readonly Scope Whole = new((Caller?)null);
    }

    /// <summary>An admitted piece of work; disposing it gives its place back.</summary>
    public sealed class Admitted : IDisposable
    {
        private readonly DatabaseAdmission _admission;
        private readonly Caller _caller;
        private readonly Scope? _outer;
        private readonly bool _restoresScope;
        private int _disposed;

        internal Admitted(DatabaseAdmission admission, Caller caller, Scope? outer, bool restoresScope = true) =>
            (_admission, _caller, _outer, _restoresScope) = (admission, caller, outer, restoresScope);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            if (_restoresScope) Current.Value = _outer;
            _admission.Give(_caller);
        }
    }
}

/// <summary>Work refused because the database already has all the work it can serve well; retry shortly.</summary>
public sealed class DatabaseBusyException(int retryAfterSeconds)
    : Exception(MessageFor(retryAfterSeconds))
{
    public int RetryAfterSeconds { get; } = retryAfterSeconds;

    /// <summary>What every refusal says (REST's problem, the hub's <c>busy:</c>, a page's failure).</summary>
    public static string MessageFor(int retryAfterSeconds) => $"The inbox is busy right now; retry in {retryAfterSeconds} s.";
}
