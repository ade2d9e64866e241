using System.Linq.Expressions;
using Whop.Inbox.Messaging;
using Whop.Inbox.Support.Labels;
using Whop.Inbox.Support.Priority;

namespace Whop.Inbox.Support;

/// <summary>
/// Where a support chat sits for the inbox's filters: what an event, a list row and the channel row all report.
/// <see cref="LabelIds"/> and <see cref="Priority"/> are the team's: empty and none for what a customer is told.
/// </summary>
public sealed record ChatPlacement(string? CompanyId, string? CustomerId, SupportStatus? Status, string? AssigneeId,
    IReadOnlyList<string> LabelIds, ChatPriority Priority);

/// <summary>The assignee filter: <c>assignee_id=me</c>, <c>none</c>, or a user id.</summary>
public abstract record AssigneeFilter
{
    public sealed record Me : AssigneeFilter;
    public sealed record Nobody : AssigneeFilter;
    public sealed record Person(string UserId) : AssigneeFilter;

    /// <summary>The API's and the address's value (null for none); a user id is checked when the filter is built.</summary>
    public static AssigneeFilter? Parse(string? value) => value?.Trim() switch
    {
        null or "" => null,
        "me" => new Me(),
        "none" => new Nobody(),
        var id => new Person(id),
    };
}

/// <summary>
/// The inbox's filter, defined once: an expression over a chat's <see cref="ChatPlacement"/>. The list
/// query runs it in SQL (rebound onto the channels table, <see cref="Apply"/>), and the live list runs
/// the same expression compiled (<see cref="Matches"/>) on what an event or a row says of a chat, so the
/// two cannot disagree. Built by <see cref="For"/> from a query whose references are already resolved.
/// </summary>
public sealed class InboxFilter
{
    private readonly Expression<Func<ChatPlacement, bool>> _predicate;
    // Compiled on first use: a page of the list (the API's, on every request) runs the expression in SQL only,
    // and would waste a compile (a method emitted and JIT-compiled); the live list compiles it once for its events.
    private Func<ChatPlacement, bool>? _compiled;

    private InboxFilter(Expression<Func<ChatPlacement, bool>> predicate) => _predicate = predicate;

    /// <param name="query">The filters.</param>
    /// <param name="me">The caller (null for an API key): "my own chats" and <c>assignee_id=me</c>.</param>
    /// <param name="companyId">The company whose inbox it is.</param>
    /// <param name="canList">Whether the caller is on that company's team (the All view takes its chats too).</param>
    /// <param name="customerId">The customer filter, resolved to a user id.</param>
    /// <param name="assigneeId">The assignee filter's person, resolved (me, or the given id).</param>
    public static InboxFilter For(SupportChatQuery query, SupportView view, string? me, string companyId, bool canList, string? customerId,
        string? assigneeId)
    {
        var scoped = query.CompanyId is not null;
        Expression<Func<ChatPlacement, bool>> mine = p => p.CustomerId == me && (!scoped || p.CompanyId == companyId);
        var predicate = view switch
        {
            SupportView.Admin => p => p.CompanyId == companyId,
            SupportView.Customer => mine,
            _ => canList ? p => p.CompanyId == companyId || p.CustomerId == me : mine,
        };
        if (query.Open is { } open)
        {
            var wanted = open ? SupportStatus.Open : SupportStatus.Resolved;
            predicate = And(predicate, p => p.Status == wanted);
        }
        if (query.Status is { } status) predicate = And(predicate, p => p.Status == status);
        if (customerId is not null) predicate = And(predicate, p => p.CustomerId == customerId);
        predicate = query.Assignee switch
        {
            AssigneeFilter.Nobody => And(predicate, p => p.AssigneeId == null),
            null => predicate,
            _ => And(predicate, p => p.AssigneeId == assigneeId),
        };
        if (query.Priority is { } priority) predicate = And(predicate, p => p.Priority == priority);
        // Every label named: one condition per label (in SQL, a lookup of the chat_labels index each).
        foreach (var labelId in query.Labels ?? []) predicate = And(predicate, p => Enumerable.Contains(p.LabelIds, labelId));
        return new InboxFilter(predicate);
    }

    /// <summary>Whether a chat placed so belongs in the list.</summary>
    public bool Matches(ChatPlacement placement) => (_compiled ??= _predicate.Compile())(placement);

    /// <summary>The filter on the channels table (the caller keeps to support chats).</summary>
    public IQueryable<Channel> Apply(IQueryable<Channel> chats) => chats.Where(OnChannels(_predicate));

    private static Expression<Func<ChatPlacement, bool>> And(Expression<Func<ChatPlacement, bool>> left, Expression<Func<ChatPlacement, bool>> right)
    {
        var body = new Rebind(right.Parameters[0], left.Parameters[0]).Visit(right.Body);
        return Expression.Lambda<Func<ChatPlacement, bool>>(Expression.AndAlso(left.Body, body), left.Parameters);
    }

    /// <summary>The predicate over channels: each placement field read from the channel's column of the same name.</summary>
    private static Expression<Func<Channel, bool>> OnChannels(Expression<Func<ChatPlacement, bool>> predicate)
    {
        var channel = Expression.Parameter(typeof(Channel), "c");
        return Expression.Lambda<Func<Channel, bool>>(new Rebind(predicate.Parameters[0], channel).Visit(predicate.Body), channel);
    }

    /// <summary>A chat's label ids in SQL: from its <c>chat_labels</c> rows, which the label filter's index holds.</summary>
    private static readonly Expression<Func<Channel, IEnumerable<string>>> LabelIdsOnChannels = c => c.LabelLinks.Select(l => l.LabelId);

    /// <summary>
    /// Replaces one parameter by another; for a channel, <c>p.Status</c> becomes <c>c.Status</c> (and
    /// <c>p.LabelIds</c> the chat's label rows).
    /// </summary>
    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);

        protected override Expression VisitMember(MemberExpression node)
        {
            if (node.Expression != from || to.Type == from.Type) return base.VisitMember(node);
            if (to.Type == typeof(Channel) && node.Member.Name == nameof(ChatPlacement.LabelIds))
                return new Rebind(LabelIdsOnChannels.Parameters[0], to).Visit(LabelIdsOnChannels.Body);
            return Expression.Property(to, node.Member.Name);
        }
    }
}
