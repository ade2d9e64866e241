using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;
using Whop.Inbox.Support.Labels;

namespace Whop.Inbox.Support.Search;

/// <summary>
/// A query's operators as conditions on chats (<c>status:</c>, <c>label:</c>, <c>is:mine</c>, <c>is:unread</c>) and on
/// messages (<c>from:</c>, <c>has:attachment</c>, <c>before:</c>, <c>after:</c>), their references resolved (a person,
/// a label). They only narrow what the caller may already read. A reference that names nobody finds nothing (and a
/// negated one excludes nothing): what a customer may ask never tells them who exists.
/// </summary>
public sealed class SearchConditions
{
    private readonly List<Expression<Func<Channel, bool>>> _onChats = [];
    private readonly List<Expression<Func<Message, bool>>> _onMessages = [];

    public IQueryable<Channel> OnChats(IQueryable<Channel> chats) => _onChats.Aggregate(chats, (q, c) => q.Where(c));

    /// <summary>Whether any condition is on chats (<c>status:</c>, <c>label:</c>, <c>is:</c>): then fewer of a word's matches are kept.</summary>
    public bool NarrowsChats => _onChats.Count > 0;

    public IQueryable<Message> OnMessages(IQueryable<Message> messages) => _onMessages.Aggregate(messages, (q, c) => q.Where(c));

    /// <summary>The conditions, null when nothing can match, or a failure naming <see cref="SearchQuery.Field"/>.</summary>
    /// <param name="team">Whether the caller is on the company's team: labels are the team's to search by.</param>
    public static async Task<Outcome<SearchConditions?>> ForAsync(InboxDbContext db, Actor actor, string companyId, bool team, SearchQuery query,
        CancellationToken ct)
    {
        var conditions = new SearchConditions();
        var me = actor.UserId;
        foreach (var filter in query.Filters)
        {
            switch (filter.Operator)
            {
                case SearchOperator.Status:
                    var status = filter.Status!.Value;
                    conditions.Chat(c => c.Status == status, filter.Negated);
                    break;
                case SearchOperator.IsMine:
                    if (me is null) return Failure.Invalid(SearchQuery.Field, "is:mine needs a person; an API key has no chats of its own.");
                    conditions.Chat(c => c.AssigneeId == me, filter.Negated);
                    break;
                case SearchOperator.IsUnread:
                    if (me is null) return Failure.Invalid(SearchQuery.Field, "is:unread needs a person; an API key has read nothing.");
                    // As the inbox counts it: the reader's count kept on write, or every message of a chat they never opened.
                    conditions.Chat(c => (db.ChannelMembers.Where(m => m.ChannelId == c.Id && m.UserId == me).Select(m => (int?)m.UnreadCount).FirstOrDefault()
                        ?? c.MessageCount) > 0, filter.Negated);
                    break;
                case SearchOperator.Label:
                    if (!team) return Failure.Invalid(SearchQuery.Field, "label: is the team's: labels are not shown to customers.");
                    var name = Label.Normalize(filter.Value);
                    var labelId = await db.Labels.AsNoTracking().Where(l => l.CompanyId == companyId && l.NormalizedName == name)
                        .Select(l => l.Id).FirstOrDefaultAsync(ct);
                    if (labelId is null)
                    {
                        if (filter.Negated) break;
                        return new Outcome<SearchConditions?>(null, null);
                    }
                    conditions.Chat(c => c.LabelLinks.Any(l => l.LabelId == labelId), filter.Negated);
                    break;
                case SearchOperator.From:
                    var author = await AuthorAsync(db, actor, companyId, filter.Value, ct);
                    if (author is null)
                    {
                        if (filter.Negated) break;
                        return new Outcome<SearchConditions?>(null, null);
                    }
                    conditions.Message(m => m.AuthorId == author, filter.Negated);
                    break;
                case SearchOperator.HasAttachment:
                    conditions.Message(m => db.Files.Any(f => f.MessageId == m.Id), filter.Negated);
                    break;
                case SearchOperator.Before:
                    var before = filter.DayStart;
                    conditions.Message(m => m.CreatedAt < before, filter.Negated);
                    break;
                case SearchOperator.After:
                    var after = filter.DayStart;
                    conditions.Message(m => m.CreatedAt >= after, filter.Negated);
                    break;
            }
        }
        return conditions;
    }

    /// <summary><c>from:</c>'s person: <c>me</c>, a user id, username or email (as the API's references), else an exact name.</summary>
    private static async Task<string?> AuthorAsync(InboxDbContext db, Actor actor, string companyId, string reference, CancellationToken ct)
    {
        if (reference.Equals("me", StringComparison.OrdinalIgnoreCase)) return actor.UserId;
        if (await db.FindByReferenceForAsync(actor, companyId, reference, ct) is { } user) return user.Id;
        var name = reference.Trim();
        return await db.Users.AsNoTracking().Where(u => u.Name == name).Select(u => u.Id).FirstOrDefaultAsync(ct);
    }

    private void Chat(Expression<Func<Channel, bool>> condition, bool negated) => _onChats.Add(negated ? Not(condition) : condition);

    private void Message(Expression<Func<Message, bool>> condition, bool negated) => _onMessages.Add(negated ? Not(condition) : condition);

    private static Expression<Func<T, bool>> Not<T>(Expression<Func<T, bool>> condition) =>
        Expression.Lambda<Func<T, bool>>(Expression.Not(condition.Body), condition.Parameters);
}
