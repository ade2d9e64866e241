using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using Whop.Inbox.Data.Sqlite;

namespace Whop.Inbox.Data;

/// <summary>
/// Moving up: copies an embedded (SQLite) database into an empty PostgreSQL database, every table
/// with its ids, event positions, password hashes, API key hashes and the Data Protection key ring, so
/// the app started on PostgreSQL afterwards serves the same chats, sign-ins, cookies and keys. The
/// SQLite file is locked against the app meanwhile; row counts are compared at the end.
/// <code>dotnet Whop.Inbox.dll copy-to-postgres --to "Host=…;Database=…;Username=…;Password=…" [--from data/inbox.db]</code>
/// </summary>
public static class DatabaseCopy
{
    public const string Command = "copy-to-postgres";
    private const int RowsPerStatement = 500;

    /// <summary>Runs the command line; returns the process's exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct = default)
    {
        var from = Option(args, "--from") ?? new DatabaseOptions().Path;
        var to = Option(args, "--to");
        if (to is null)
        {
            output.WriteLine($"Usage: {Command} --to \"<PostgreSQL connection string>\" [--from <SQLite file, default {new DatabaseOptions().Path}>]");
            return 2;
        }
        try
        {
            var counts = await CopyAsync(Path.GetFullPath(from), to, output, ct);
            output.WriteLine($"Copied {counts.Values.Sum():N0} rows in {counts.Count} tables; every table's count matches. " +
                             "Start the app with Inbox__Database__Provider=postgres and ConnectionStrings__Inbox set to the new database.");
            return 0;
        }
        catch (Exception e) when (e is InvalidOperationException or DbException)
        {
            output.WriteLine($"Nothing usable was copied: {e.Message}");
            return 1;
        }
    }

    /// <summary>Copies every table; returns each table's row count, equal on both sides.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> CopyAsync(string sqlitePath, string postgres, TextWriter output,
        CancellationToken ct = default)
    {
        if (!File.Exists(sqlitePath)) throw new InvalidOperationException($"There is no SQLite database at {sqlitePath}.");
        using var instanceLock = new SqliteInstanceLock(sqlitePath);
        instanceLock.Acquire();

        await using var source = ProviderContext.Open(DatabaseProvider.Sqlite,
            new SqliteConnectionStringBuilder { DataSource = sqlitePath, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await using var target = ProviderContext.Open(DatabaseProvider.Postgres, postgres);
        if ((await source.Database.GetPendingMigrationsAsync(ct)).Any())
            throw new InvalidOperationException($"{sqlitePath} is not up to date: start the app on it once, then copy.");
        await target.Database.MigrateAsync(ct);

        var tables = InsertOrder(source.Model);
        await using var reader = (SqliteConnection)source.Database.GetDbConnection();
        await reader.OpenAsync(ct);
        await using var writer = (NpgsqlConnection)target.Database.GetDbConnection();
        await writer.OpenAsync(ct);
        foreach (var table in tables)
        {
            if (await CountAsync(writer, table.Name, ct) > 0)
                throw new InvalidOperationException($"The PostgreSQL database is not empty (table {table.Name} has rows): copy into a new, empty one.");
        }

        // One transaction: the target ends up with everything or nothing.
        await using var transaction = await writer.BeginTransactionAsync(ct);
        var counts = new Dictionary<string, long>();
        foreach (var table in tables)
        {
            var copied = await CopyTableAsync(reader, writer, table, target.Model, ct);
            output.WriteLine($"  {table.Name}: {copied:N0}");
            counts[table.Name] = copied;
        }
        await ResetIdentitiesAsync(writer, tables, ct);
        await transaction.CommitAsync(ct);

        foreach (var table in tables)
        {
            var (inSource, inTarget) = (await CountAsync(reader, table.Name, ct), await CountAsync(writer, table.Name, ct));
            if (inSource != inTarget) throw new InvalidOperationException($"Table {table.Name}: {inSource} rows in SQLite, {inTarget} in PostgreSQL.");
        }
        return counts;
    }

    private sealed record Table(string Name, IReadOnlyList<IProperty> Columns, IEntityType Entity);

    private static async Task<long> CopyTableAsync(SqliteConnection reader, NpgsqlConnection writer, Table table, IModel targetModel,
        CancellationToken ct)
    {
        var targetEntity = targetModel.FindEntityType(table.Entity.Name)!;
        var targetColumns = table.Columns.Select(c => targetEntity.FindProperty(c.Name)!).ToList();
        var columnList = string.Join(", ", table.Columns.Select(c => Quote(c.GetColumnName())));

        await using var select = reader.CreateCommand();
        // rowid order is insertion order: a reply comes after what it replies to.
        select.CommandText = $"SELECT {columnList} FROM {Quote(table.Name)} ORDER BY rowid";
        await using var rows = await select.ExecuteReaderAsync(ct);
        var batch = new List<object?[]>(RowsPerStatement);
        long copied = 0;
        while (await rows.ReadAsync(ct))
        {
            var values = new object?[table.Columns.Count];
            for (var i = 0; i < values.Length; i++)
                values[i] = ToPostgres(targetColumns[i], FromSqlite(table.Columns[i], rows.IsDBNull(i) ? null : rows.GetValue(i)));
            batch.Add(values);
            if (batch.Count == RowsPerStatement) copied += await InsertAsync(writer, table, targetColumns, columnList, batch, ct);
        }
        if (batch.Count > 0) copied += await InsertAsync(writer, table, targetColumns, columnList, batch, ct);
        return copied;
    }

    private static async Task<int> InsertAsync(NpgsqlConnection writer, Table table, List<IProperty> columns, string columnList,
        List<object?[]> batch, CancellationToken ct)
    {
        await using var insert = writer.CreateCommand();
        var sql = new StringBuilder($"INSERT INTO {Quote(table.Name)} ({columnList}) VALUES ");
        for (var row = 0; row < batch.Count; row++)
        {
            sql.Append(row == 0 ? "(" : ", (");
            for (var column = 0; column < columns.Count; column++)
            {
                var name = $"p{row}_{column}";
                // The column's own type: the server casts text to jsonb, arrays stay arrays.
                sql.Append(column == 0 ? "" : ", ").Append($"CAST(@{name} AS {columns[column].GetColumnType()})");
                insert.Parameters.Add(new NpgsqlParameter(name, batch[row][column] ?? DBNull.Value));
            }
            sql.Append(')');
        }
        insert.CommandText = sql.ToString();
        var inserted = await insert.ExecuteNonQueryAsync(ct);
        batch.Clear();
        return inserted;
    }

    /// <summary>SQLite's stored value as the model's value (microseconds back to a time, 0/1 to a bool, JSON to an array).</summary>
    private static object? FromSqlite(IProperty property, object? stored)
    {
        if (stored is null) return null;
        var mapping = property.GetTypeMapping();
        var providerType = Nullable.GetUnderlyingType(mapping.Converter?.ProviderClrType ?? property.ClrType)
                           ?? mapping.Converter?.ProviderClrType ?? property.ClrType;
        var typed = providerType.IsInstanceOfType(stored) ? stored : Convert.ChangeType(stored, providerType, System.Globalization.CultureInfo.InvariantCulture);
        return mapping.Converter is { } converter ? converter.ConvertFromProvider(typed) : typed;
    }

    /// <summary>The model's value as PostgreSQL stores it (enums as their snake_case names).</summary>
    private static object? ToPostgres(IProperty property, object? value) =>
        value is null ? null : property.GetTypeMapping().Converter is { } converter ? converter.ConvertToProvider(value) : value;

    /// <summary>Identity columns continue after the copied ids.</summary>
    private static async Task ResetIdentitiesAsync(NpgsqlConnection writer, IEnumerable<Table> tables, CancellationToken ct)
    {
        foreach (var table in tables)
        {
            foreach (var key in table.Columns.Where(c => c.IsPrimaryKey() && c.ValueGenerated == ValueGenerated.OnAdd && c.ClrType == typeof(int)))
            {
                var column = key.GetColumnName();
                await using var reset = writer.CreateCommand();
                reset.CommandText = $"SELECT setval(pg_get_serial_sequence('{Quote(table.Name)}', '{column}'), " +
                                    $"COALESCE((SELECT MAX({Quote(column)}) FROM {Quote(table.Name)}), 0) + 1, false)";
                await reset.ExecuteScalarAsync(ct);
            }
        }
    }

    /// <summary>Tables with the ones others refer to first.</summary>
    private static List<Table> InsertOrder(IModel model)
    {
        var entities = model.GetEntityTypes().Where(e => e.GetTableName() is not null).ToList();
        var ordered = new List<IEntityType>();
        var placed = new HashSet<IEntityType>();
        void Place(IEntityType entity)
        {
            if (!placed.Add(entity)) return;
            foreach (var principal in entity.GetForeignKeys().Select(f => f.PrincipalEntityType).Where(p => p != entity)) Place(principal);
            ordered.Add(entity);
        }
        foreach (var entity in entities.OrderBy(e => e.GetTableName(), StringComparer.Ordinal)) Place(entity);
        return ordered.Select(e => new Table(e.GetTableName()!, e.GetProperties().ToList(), e)).ToList();
    }

    private static async Task<long> CountAsync(DbConnection connection, string table, CancellationToken ct)
    {
        await using var count = connection.CreateCommand();
        count.CommandText = $"SELECT COUNT(*) FROM {Quote(table)}";
        return Convert.ToInt64(await count.ExecuteScalarAsync(ct));
    }

    private static string Quote(string name) => $"\"{name}\"";

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
