using System.Buffers.Text;
using System.Linq.Expressions;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Whop.Inbox.Common;

/// <summary>
/// A page request as the API takes it: <c>first</c>/<c>after</c> walk forwards, <c>last</c>/<c>before</c>
/// backwards. Cursors are opaque to callers and name a row by its sort key and id, so a page is a
/// keyset seek (never OFFSET) and stays stable while rows are inserted.
/// </summary>
public sealed record PageRequest(int? First = null, string? After = null, int? Last = null, string? Before = null)
{
    public const int DefaultSize = 20;
    public const int MaxSize = 100;

    public bool Backwards => Last is not null || (Before is not null && First is null);

    public int Size => Backwards ? Last ?? DefaultSize : First ?? DefaultSize;

    /// <summary>Why the request cannot be answered, for a list sorted by time; null when it can.</summary>
    public Failure? Validate() => Validate(value => Cursor.Decode(value) is not null);

    /// <summary>The same, for a list sorted by text (<see cref="TextCursor"/>).</summary>
    public Failure? ValidateByText() => Validate(value => TextCursor.Decode(value) is not null);

    private Failure? Validate(Func<string, bool> isCursor)
    {
        if (First is not null && Last is not null) return Failure.Invalid("last", "Give either first or last, not both.");
        if (After is not null && Before is not null) return Failure.Invalid("before", "Give either after or before, not both.");
        if (First is < 1 or > MaxSize) return Failure.Invalid("first", $"first must be between 1 and {MaxSize}.");
        if (Last is < 1 or > MaxSize) return Failure.Invalid("last", $"last must be between 1 and {MaxSize}.");
        if (After is not null && !isCursor(After)) return Failure.Invalid("after", "after is not a cursor this API returned.");
        if (Before is not null && !isCursor(Before)) return Failure.Invalid("before", "before is not a cursor this API returned.");
        return null;
    }
}

public sealed record PageInfo(string? EndCursor, string? StartCursor, bool HasNextPage, bool HasPreviousPage);

public sealed record Page<T>(IReadOnlyList<T> Items, PageInfo PageInfo)
{
    /// <summary>A page of nothing, with nothing before or after it.</summary>
    public static Page<T> Empty { get; } = new([], new PageInfo(null, null, false, false));

    public Page<TOut> Map<TOut>(Func<T, TOut> map) => new(Items.Select(map).ToList(), PageInfo);
}

/// <summary>
/// A position in a list: the sort key (a timestamp) and the id that breaks ties, after the <see cref="Rank"/> of a
/// list sorted by a rank first (the inbox by priority).
/// </summary>
public readonly record struct Cursor(DateTimeOffset Key, string Id, int? Rank = null)
{
    public string Encode()
    {
        var raw = Encoding.UTF8.GetBytes(Rank is { } rank ? $"{rank}~{Key.UtcTicks}:{Id}" : $"{Key.UtcTicks}:{Id}");
        return Base64Url.EncodeToString(raw);
    }

    public static Cursor? Decode(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 200) return null;
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(value));
            int? rank = null;
            var tilde = text.IndexOf('~');
            if (tilde >= 0)
            {
                if (!int.TryParse(text.AsSpan(0, tilde), out var parsed) || parsed is < 0 or > 1000) return null;
                rank = parsed;
                text = text[(tilde + 1)..];
            }
            var colon = text.IndexOf(':');
            if (colon <= 0 || !long.TryParse(text.AsSpan(0, colon), out var ticks) || ticks < 0 || ticks > DateTimeOffset.MaxValue.UtcTicks)
                return null;
            var id = text[(colon + 1)..];
            return id.Length is > 0 and <= 64 ? new Cursor(new DateTimeOffset(ticks, TimeSpan.Zero), id, rank) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>A position in a list sorted by text (a name): the sort key and the id that breaks ties.</summary>
public readonly record struct TextCursor(string Key, string Id)
{
    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Id}:{Key}"));

    public static TextCursor? Decode(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 800) return null;
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(value));
            // Ids have no colon; the key (a name) may.
            var colon = text.IndexOf(':');
            return colon is > 0 and <= 64 ? new TextCursor(text[(colon + 1)..], text[..colon]) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>
/// Keyset pages over any query sorted by (timestamp, id). The seek is a PostgreSQL row comparison,
/// <c>(key, id) &lt; (@key, @id)</c>, which walks the matching composite index.
/// </summary>
public static class Keyset
{
    public static async Task<Page<T>> PageAsync<T>(this IQueryable<T> source,
        Expression<Func<T, DateTimeOffset>> key, Expression<Func<T, string>> id, bool descending,
        PageRequest request, CancellationToken ct = default)
    {
        // Walking backwards is walking the opposite order, then flipping the page.
        var reverse = request.Backwards;
        var walkDescending = descending ^ reverse;
        var cursor = Cursor.Decode(reverse ? request.Before : request.After);

        var query = source;
        if (cursor is { } c) query = query.Where(Seek(key, id, c, walkDescending));
        query = walkDescending
            ? query.OrderByDescending(key).ThenByDescending(id)
            : query.OrderBy(key).ThenBy(id);

        var keyOf = Read(key);
        var idOf = Read(id);
        return await ReadPageAsync(query, request, cursor is not null, row => new Cursor(keyOf(row), idOf(row)).Encode(), ct);
    }

    /// <summary>
    /// Keyset pages over a query sorted by (text, id), ascending: a list by name. The seek is
    /// <c>key &gt; k OR (key = k AND id &gt; i)</c>, in the database's own order for text, so the pages
    /// follow the order the database sorts in.
    /// </summary>
    public static async Task<Page<T>> PageByTextAsync<T>(this IQueryable<T> source,
        Expression<Func<T, string>> key, Expression<Func<T, string>> id, PageRequest request, CancellationToken ct = default)
    {
        var reverse = request.Backwards;
        var cursor = TextCursor.Decode(reverse ? request.Before : request.After);

        var query = source;
        if (cursor is { } c) query = query.Where(TextSeek(key, id, c, before: reverse));
        query = reverse ? query.OrderByDescending(key).ThenByDescending(id) : query.OrderBy(key).ThenBy(id);

        var keyOf = Read(key);
        var idOf = Read(id);
        return await ReadPageAsync(query, request, cursor is not null, row => new TextCursor(keyOf(row), idOf(row)).Encode(), ct);
    }

    private static Expression<Func<T, bool>> TextSeek<T>(Expression<Func<T, string>> key, Expression<Func<T, string>> id, TextCursor cursor, bool before)
    {
        var row = key.Parameters[0];
        var rowId = new ReplaceParameter(id.Parameters[0], row).Visit(id.Body);
        var values = Expression.Constant(new TextSeekValues(cursor.Key, cursor.Id));
        var compare = typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!;
        var zero = Expression.Constant(0);
        Expression Beyond(Expression rowValue, string property)
        {
            var order = Expression.Call(compare, rowValue, Expression.Property(values, property));
            return before ? Expression.LessThan(order, zero) : Expression.GreaterThan(order, zero);
        }
        var body = Expression.OrElse(Beyond(key.Body, nameof(TextSeekValues.Key)),
            Expression.AndAlso(Expression.Equal(key.Body, Expression.Property(values, nameof(TextSeekValues.Key))), Beyond(rowId, nameof(TextSeekValues.Id))));
        return Expression.Lambda<Func<T, bool>>(body, row);
    }

    private sealed record TextSeekValues(string Key, string Id);

    /// <summary>
    /// Rows after the cursor in the sort order: <c>key &lt;= k AND (key &lt; k OR id &lt; i)</c> (mirrored when
    /// ascending). The first term bounds the index range on both databases; the rest breaks ties by id.
    /// </summary>
    private static Expression<Func<T, bool>> Seek<T>(Expression<Func<T, DateTimeOffset>> key, Expression<Func<T, string>> id,
        Cursor cursor, bool descending)
    {
        var row = key.Parameters[0];
        var rowKey = key.Body;
        var rowId = new ReplaceParameter(id.Parameters[0], row).Visit(id.Body);
        // Read through a captured object, so EF sends the cursor as parameters and reuses the plan.
        var values = Expression.Constant(new SeekValues(cursor.Key, cursor.Id));
        var cursorKey = Expression.Property(values, nameof(SeekValues.Key));
        var cursorId = Expression.Property(values, nameof(SeekValues.Id));
        var idOrder = Expression.Call(typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!, rowId, cursorId);
        var zero = Expression.Constant(0);

        var body = descending
            ? Expression.AndAlso(Expression.LessThanOrEqual(rowKey, cursorKey),
                Expression.OrElse(Expression.LessThan(rowKey, cursorKey), Expression.LessThan(idOrder, zero)))
            : Expression.AndAlso(Expression.GreaterThanOrEqual(rowKey, cursorKey),
                Expression.OrElse(Expression.GreaterThan(rowKey, cursorKey), Expression.GreaterThan(idOrder, zero)));
        return Expression.Lambda<Func<T, bool>>(body, row);
    }

    /// <summary>
    /// Keyset pages over a query sorted by a rank first, highest first whatever the direction (the inbox's priority:
    /// urgent first), then by (timestamp, id) in the chosen direction. The cursor carries the rank, so a row whose
    /// rank changed between pages is neither lost nor shown twice beyond what the change itself moved.
    /// </summary>
    public static async Task<Page<T>> PageAsync<T>(this IQueryable<T> source, Expression<Func<T, int>> rank,
        Expression<Func<T, DateTimeOffset>> key, Expression<Func<T, string>> id, bool descending,
        PageRequest request, CancellationToken ct = default)
    {
        var reverse = request.Backwards;
        var walkDescending = descending ^ reverse;
        var rankDescending = !reverse;
        var cursor = Cursor.Decode(reverse ? request.Before : request.After);

        var query = source;
        if (cursor is { } c)
        {
            // Rows of a lower rank (in the walk's order), or of the same rank after the cursor by (key, id).
            var row = rank.Parameters[0];
            var rowRank = rank.Body;
            var cursorRank = Expression.Property(Expression.Constant(new RankValue(c.Rank ?? int.MaxValue)), nameof(RankValue.Rank));
            var sameRankSeek = new ReplaceParameter(key.Parameters[0], row).Visit(Seek(key, id, c, walkDescending).Body);
            var body = Expression.OrElse(
                rankDescending ? Expression.LessThan(rowRank, cursorRank) : Expression.GreaterThan(rowRank, cursorRank),
                Expression.AndAlso(Expression.Equal(rowRank, cursorRank), sameRankSeek));
            query = query.Where(Expression.Lambda<Func<T, bool>>(body, row));
        }
        var ranked = rankDescending ? query.OrderByDescending(rank) : query.OrderBy(rank);
        query = walkDescending ? ranked.ThenByDescending(key).ThenByDescending(id) : ranked.ThenBy(key).ThenBy(id);

        var rankOf = Read(rank);
        var keyOf = Read(key);
        var idOf = Read(id);
        return await ReadPageAsync(query, request, cursor is not null, row => new Cursor(keyOf(row), idOf(row), rankOf(row)).Encode(), ct);
    }

    /// <summary>
    /// Reads the page a walk's query (seeked and ordered) gives: one row more than asked says whether more
    /// follow, and a backwards walk is flipped back into the list's order.
    /// </summary>
    private static async Task<Page<T>> ReadPageAsync<T>(IQueryable<T> query, PageRequest request, bool fromCursor, Func<T, string?> cursorOf,
        CancellationToken ct)
    {
        var reverse = request.Backwards;
        var rows = await query.Take(request.Size + 1).ToListAsync(ct);
        var more = rows.Count > request.Size;
        if (more) rows.RemoveAt(rows.Count - 1);
        if (reverse) rows.Reverse();

        // end_cursor is null on the last page: clients (the SDK among them) page until it is.
        var hasNext = reverse ? fromCursor : more;
        var hasPrevious = reverse ? more : fromCursor;
        return new Page<T>(rows, new PageInfo(
            EndCursor: hasNext && rows.Count > 0 ? cursorOf(rows[^1]) : null,
            StartCursor: hasPrevious && rows.Count > 0 ? cursorOf(rows[0]) : null,
            HasNextPage: hasNext,
            HasPreviousPage: hasPrevious));
    }

    /// <summary>
    /// A sort key read from a loaded row, for its cursor: a plain property (the usual key) through its
    /// getter, anything else interpreted. Compiling the expression would cost more than the page's query
    /// itself, on every request, for at most two rows.
    /// </summary>
    private static Func<T, TKey> Read<T, TKey>(Expression<Func<T, TKey>> key)
    {
        if (key.Body is MemberExpression { Member: System.Reflection.PropertyInfo property } member && member.Expression == key.Parameters[0])
            return (Func<T, TKey>)Getters.GetOrAdd((typeof(T), property), static k => k.Property.GetMethod!.CreateDelegate(typeof(Func<T, TKey>)));
        return key.Compile(preferInterpretation: true);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Type Row, System.Reflection.PropertyInfo Property), Delegate> Getters = new();

    private sealed record SeekValues(DateTimeOffset Key, string Id);

    private sealed record RankValue(int Rank);

    private sealed class ReplaceParameter(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
