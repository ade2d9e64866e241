using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Data;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Writes;

namespace Whop.Inbox.Support.Reports;

/// <summary>
/// Keeps a support chat's first response and resolution times as it is written, in the write's own transaction.
/// The rules, here and nowhere else:
/// <list type="bullet">
/// <item>The first-response clock starts at the customer's first message (not a system note written in their name).</item>
/// <item>It stops at the first team reply after it: a person on the team writing to the customer. A note, a system
/// note ("Maya resolved this chat.") or an integration's automated message does not stop it. Measured once: a
/// reopened chat keeps its first response.</item>
/// <item>Resolution time runs from the chat's creation to its resolve. A reopen clears it and counts the reopen; the
/// next resolve measures again from the creation, so a chat counts once, at its latest resolve.</item>
/// <item>Both are business time under the company's hours when it is measured (<see cref="BusinessHours.Between"/>);
/// changing the hours later leaves what was measured as it was.</item>
/// </list>
/// </summary>
public static class ResponseTimes
{
    /// <summary>Whether a message stops the first-response clock when someone on the team writes it.</summary>
    public static bool IsTeamReply(Message message) => message.Type == MessageType.Regular && !message.IsNote;

    /// <summary>A message this write posted to the customer (not a note): starts or stops the first-response clock.</summary>
    public static async Task PostedAsync(ConversationWrite write, Message message, bool fromCustomer, CancellationToken ct)
    {
        var chat = write.Channel;
        if (!chat.IsSupport || message.IsNote) return;
        if (fromCustomer)
        {
            if (message.Type != MessageType.System) chat.RecordCustomerMessage(message.CreatedAt);
            return;
        }
        if (!IsTeamReply(message) || chat.FirstResponseAt is not null || chat.FirstCustomerMessageAt is not { } asked) return;
        // Read only now: once in a chat's life (and again at each resolve), not on every message.
        var hours = await HoursAsync(write.Db, chat.CompanyId!, ct);
        chat.RecordFirstResponse(message.CreatedAt, message.AuthorId!, hours.Between(asked, message.CreatedAt));
    }

    /// <summary>The write just resolved the chat: how long it took.</summary>
    public static async Task ResolvedAsync(ConversationWrite write, CancellationToken ct)
    {
        var chat = write.Channel;
        var hours = await HoursAsync(write.Db, chat.CompanyId!, ct);
        chat.RecordResolution(hours.Between(chat.CreatedAt, chat.ResolvedAt!.Value));
    }

    /// <summary>The company's business hours, read on the caller's connection.</summary>
    public static async Task<BusinessHours> HoursAsync(InboxDbContext db, string companyId, CancellationToken ct) =>
        (await db.Companies.AsNoTracking().SingleAsync(c => c.Id == companyId, ct)).BusinessHours;
}
