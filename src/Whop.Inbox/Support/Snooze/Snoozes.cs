using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Audit;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Realtime;
using Whop.Inbox.Messaging.Writes;

namespace Whop.Inbox.Support.Snooze;

/// <summary>
/// Setting support chats aside and waking them. A snoozed chat has its own status
/// (<see cref="SupportStatus.Snoozed"/>): it leaves Open and Waiting, is counted under Snoozed, and comes
/// back to Open when its time comes (<see cref="SnoozeWaker"/>), when the customer writes
/// (<see cref="WakeForCustomer"/>, in the write of their message) or when someone wakes it. Every change
/// is one <see cref="ConversationWrite"/>: the chat, its tallies, an event and a note only the team sees
/// (and, by hand, an audit entry).
/// </summary>
public sealed partial class Snoozes(
    IDbContextFactory<InboxDbContext> contexts,
    ConversationWrites writes,
    TimeProvider clock,
    ILogger<Snoozes> logger)
{
    /// <summary>The furthest ahead a chat may be snoozed.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(365);

    /// <summary>The field a refusal names: the API's <c>snooze</c> object.</summary>
    public const string Field = "snooze";
    public const string UntilField = "snooze.until";

    /// <summary>
    /// Snoozes the chat until a time or until the customer replies, or wakes it now. A DM has no snooze and
    /// a resolved chat cannot be snoozed (422); a chat the caller cannot see is not found. What a bulk action
    /// calls for each chat.
    /// </summary>
    public async Task<Outcome<SupportChatView>> SnoozeAsync(Actor actor, string chatId, SnoozeRequest request, CancellationToken ct = default)
    {
        if (Check(request) is { } invalid) return invalid;
        // A DM is refused for what it is, not for rights nobody has there.
        var begun = await writes.BeginAsync(actor, chatId, c => c.IsSupport ? InboxAction.SnoozeSupportChat : ChannelAccess.ReadActionFor(c), ct);
        if (begun.Failure is { } refused) return refused;
        await using var write = begun.Value!;
        if (await ApplyAsync(write, request, ct) is { } rejected) return rejected;
        await write.CommitAsync(ct);
        return (await SupportChats.ViewsAsync(write.Db, actor, [write.Channel], _ => true, ct))[0];
    }

    /// <summary>What is wrong with the request itself, before any chat is read: a time in the past or too far ahead.</summary>
    public Failure? Check(SnoozeRequest request)
    {
        if (request is not SnoozeRequest.Until { At: var at }) return null;
        var now = clock.GetUtcNow();
        if (at <= now) return Failure.Rejected("snooze.until must be in the future.", UntilField);
        if (at > now + Longest) return Failure.Rejected($"snooze.until can be at most {Longest.TotalDays:0} days ahead.", UntilField);
        return null;
    }

    /// <summary>
    /// The snooze as part of a change to the chat (the PATCH that also assigns): the caller began the write,
    /// with <see cref="InboxAction.SnoozeSupportChat"/> checked, checked the request (<see cref="Check"/>) and commits. A
    /// refusal changes nothing.
    /// </summary>
    public async Task<Failure?> ApplyAsync(ConversationWrite write, SnoozeRequest request, CancellationToken ct)
    {
        var chat = write.Channel;
        if (!chat.IsSupport) return Failure.Rejected("Only support chats can be snoozed; this is a DM.", Field);
        switch (request)
        {
            case SnoozeRequest.WakeNow when chat.IsSnoozed:
                var by = await write.ByAsync(ct);
                var until = chat.SnoozedUntil;
                await WakeAsync(write, WakeReason.Hand, $"{by.Name} woke this chat (snoozed {Describe(until)}).", ct);
                write.Audit(AuditActions.SupportChatWoken);
                return null;
            case SnoozeRequest.WakeNow:
                return null;
            case SnoozeRequest.Until or SnoozeRequest.UntilCustomerReplies when chat.Status == SupportStatus.Resolved:
                return Failure.Rejected("A resolved chat cannot be snoozed; reopen it first.", Field);
        }

        var wakeAt = request is SnoozeRequest.Until { At: var at } ? Clock.ToMicros(at) : (DateTimeOffset?)null;
        if (chat.IsSnoozed && chat.SnoozedUntil == wakeAt) return null;
        var person = await write.ByAsync(ct);
        chat.Snooze(wakeAt);
        write.Announce(ChatEventTypes.SupportChatSnoozed, new SupportChatSnoozed(wakeAt, wakeAt is null, person.Id), EventReach.Team);
        await write.NoteAsync($"{person.Name} snoozed this chat {Describe(wakeAt)}.", ct, MessageVisibility.Team);
        write.Audit(AuditActions.SupportChatSnoozed, detail: wakeAt is { } time ? Stamp(time) : "until the customer replies");
        return null;
    }

    /// <summary>
    /// Wakes the chat if it still sleeps until <paramref name="until"/>: asked under the chat's lock, so of
    /// two instances that found it due at once, one wakes it and the other finds it awake (or snoozed anew).
    /// </summary>
    public async Task<bool> WakeIfDueAsync(string chatId, DateTimeOffset until, CancellationToken ct = default)
    {
        // Nobody's act: the note is by the company's integration user, and there is no audit entry.
        await using var write = await writes.BeginAsync(Actor.Anonymous, chatId, ct);
        if (write.Channel is not { IsSnoozed: true } chat || chat.SnoozedUntil != until || until > clock.GetUtcNow()) return false;
        await WakeAsync(write, WakeReason.Time, $"Snoozed {Describe(until)} — woke up.", ct);
        await write.CommitAsync(ct);
        LogWoke(chatId, until);
        return true;
    }

    /// <summary>
    /// The snoozed chats whose time has come, soonest first (through the index on the wake-up time), at most
    /// <paramref name="limit"/>.
    /// </summary>
    public async Task<IReadOnlyList<(string ChatId, DateTimeOffset Until)>> DueAsync(int limit, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var due = await db.Channels.AsNoTracking()
            .Where(c => c.SnoozedUntil != null && c.SnoozedUntil <= now)
            .OrderBy(c => c.SnoozedUntil)
            .Select(c => new { c.Id, Until = c.SnoozedUntil!.Value })
            .Take(limit)
            .ToListAsync(ct);
        return due.Select(d => (d.Id, d.Until)).ToList();
    }

    /// <summary>
    /// The customer wrote to a snoozed chat: it wakes in the same write as their message (which the caller
    /// records after this, moving the chat to Open).
    /// </summary>
    public static void WakeForCustomer(ConversationWrite write, UserSummary customer)
    {
        var chat = write.Channel;
        if (!chat.IsSnoozed) return;
        var until = chat.SnoozedUntil;
        chat.Wake();
        write.Announce(ChatEventTypes.SupportChatWoke, new SupportChatWoke(WakeReason.CustomerReplied, until, chat.AssigneeId, customer.Id),
            EventReach.Team);
        write.Post(customer.Id, $"Snoozed {Describe(until)} — woke up because the customer replied.", MessageType.System,
            visibility: MessageVisibility.Team);
    }

    private static async Task WakeAsync(ConversationWrite write, WakeReason reason, string note, CancellationToken ct)
    {
        var chat = write.Channel;
        var until = chat.SnoozedUntil;
        var by = reason == WakeReason.Hand ? (await write.ByAsync(ct)).Id : null;
        chat.Wake();
        write.Announce(ChatEventTypes.SupportChatWoke, new SupportChatWoke(reason, until, chat.AssigneeId, by), EventReach.Team);
        await write.NoteAsync(note, ct, MessageVisibility.Team);
    }

    /// <summary>"until Mon 7 Dec 2026, 09:00 UTC" or "until the customer replies", as notes say it.</summary>
    public static string Describe(DateTimeOffset? until) =>
        until is { } at ? $"until {Stamp(at)}" : "until the customer replies";

    private static string Stamp(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("ddd d MMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture);

    [LoggerMessage(LogLevel.Information, "Woke snoozed chat {ChatId} (snoozed until {Until})")]
    private partial void LogWoke(string chatId, DateTimeOffset until);
}
