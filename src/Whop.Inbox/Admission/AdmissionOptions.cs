using System.ComponentModel.DataAnnotations;

namespace Whop.Inbox.Admission;

/// <summary>
/// <c>Inbox:Admission</c>: how much work may wait on the database at once (<see cref="DatabaseAdmission"/>).
/// Past the bound the app refuses at once (503 with <c>Retry-After</c>, the hub's <c>busy</c>) instead of
/// queueing: accepted work keeps its latency, and the database serves at its knee, not below it.
/// </summary>
public sealed class AdmissionOptions
{
    public const string Section = "Inbox:Admission";

    /// <summary>
    /// Requests, hub calls and page actions working on the database at once, on this instance. 0 (the
    /// default) sizes it from the machine: 8 per processor, at least 16, and on PostgreSQL never more
    /// than nine tenths of the connection pool (the rest is for the app's own work).
    /// </summary>
    [Range(0, 10_000)] public int MaxConcurrent { get; set; }

    /// <summary>The share of the bound one caller (an API key, a person, an address) may hold, in percent.</summary>
    [Range(1, 100)] public int CallerSharePercent { get; set; } = 50;

    /// <summary>The share of the bound the callers of one company may always hold together, in percent.</summary>
    [Range(1, 100)] public int CompanySharePercent { get; set; } = 75;

    /// <summary>
    /// What a company past its share must leave free for the others, in percent of the bound: past its
    /// share, its callers are admitted only while more than this stays free.
    /// </summary>
    [Range(0, 100)] public int ReservePercent { get; set; } = 25;

    /// <summary>What a refusal tells the client to wait before retrying (<c>Retry-After</c>).</summary>
    [Range(1, 60)] public int RetryAfterSeconds { get; set; } = 1;
}
