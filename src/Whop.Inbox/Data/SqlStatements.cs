using Microsoft.EntityFrameworkCore;

namespace Whop.Inbox.Data;

/// <summary>Several statements sent as one command (one round trip); both databases run them in order.</summary>
internal static class SqlStatements
{
    /// <summary>Runs <paramref name="statements"/> as one command, each one's values as parameters; nothing when there are none.</summary>
    public static async Task ExecuteAsync(InboxDbContext db, IReadOnlyList<FormattableString> statements, CancellationToken ct)
    {
        if (statements.Count == 0) return;
        var (sql, arguments) = Join(statements);
        await db.Database.ExecuteSqlRawAsync(sql, arguments, ct);
    }

    /// <summary>The statements as one text, each one's placeholders renumbered after the ones before.</summary>
    internal static (string Sql, object[] Arguments) Join(IReadOnlyList<FormattableString> statements)
    {
        var arguments = new List<object>();
        var sql = string.Join(";\n", statements.Select(statement =>
        {
            // Formatting here turns an escaped brace into a bare one, which EF would read as a placeholder.
            if (statement.Format.Contains("{{") || statement.Format.Contains("}}"))
                throw new ArgumentException($"A statement joined into one command cannot hold literal braces: {statement.Format}");
            var offset = arguments.Count;
            arguments.AddRange(statement.GetArguments()!);
            return string.Format(statement.Format, Enumerable.Range(offset, statement.ArgumentCount).Select(i => (object)$"{{{i}}}").ToArray());
        }));
        return (sql, arguments.ToArray());
    }
}
