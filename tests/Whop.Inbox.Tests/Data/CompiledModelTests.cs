using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Whop.Inbox.Data;

namespace Whop.Inbox.Tests.Data;

/// <summary>
/// The app starts on compiled models (<c>Data/CompiledModels</c>, made by <c>dotnet ef dbcontext optimize</c>)
/// instead of building the model at start. A model change without a new compiled model would run on
/// the old one: this fails first, naming what differs.
/// </summary>
public sealed class CompiledModelTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public void The_compiled_model_is_the_model_the_code_describes(DatabaseProvider provider)
    {
        using InboxDbContext db = provider == DatabaseProvider.Sqlite
            ? new SqliteDesignTimeFactory().CreateDbContext([])
            : new PostgresDesignTimeFactory().CreateDbContext([]);
        var compiled = db.Model;
        var described = db.GetService<IDesignTimeModel>().Model;

        compiled.GetType().Namespace.ShouldBe($"Whop.Inbox.Data.CompiledModels.{provider}", "the app should start on the compiled model");
        var (runs, code) = (Describe(compiled), Describe(described));
        // Only what differs, so the message says what changed.
        string.Join("\n", code.Except(runs).Select(line => "code:     " + line).Concat(runs.Except(code).Select(line => "compiled: " + line)))
            .ShouldBeEmpty($"the model changed: run `dotnet ef dbcontext optimize` for {provider} (docs/databases.md, \"Adding a migration\")");
    }

    /// <summary>Everything that decides the SQL and the values read: tables, columns, converters, keys, indexes.</summary>
    private static List<string> Describe(IModel model) =>
    [
        .. model.GetEntityTypes().OrderBy(e => e.Name).SelectMany(entity => (IEnumerable<string>)
        [
            $"{entity.Name} -> {entity.GetTableName()}",
            .. entity.GetProperties().OrderBy(p => p.Name).Select(p =>
                $"  {p.Name}: {p.ClrType.Name} {p.GetColumnName()} {p.GetColumnType()} null={p.IsNullable} max={p.GetMaxLength()} " +
                $"converter={p.GetValueConverter()?.GetType().Name} default={p.GetDefaultValueSql()} generated={p.ValueGenerated}"),
            .. entity.GetKeys().Select(k => $"  key {string.Join(",", k.Properties.Select(p => p.Name))} primary={k.IsPrimaryKey()}"),
            .. entity.GetIndexes().OrderBy(i => i.GetDatabaseName()).Select(i =>
                $"  index {i.GetDatabaseName()} ({string.Join(",", i.Properties.Select(p => p.Name))}) unique={i.IsUnique} filter={i.GetFilter()}"),
            .. entity.GetForeignKeys().OrderBy(f => f.PrincipalEntityType.Name).Select(f =>
                $"  fk ({string.Join(",", f.Properties.Select(p => p.Name))}) -> {f.PrincipalEntityType.Name} delete={f.DeleteBehavior}"),
        ]),
    ];
}
