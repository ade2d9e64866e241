using System.Linq.Expressions;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Whop.Inbox.Data;

/// <summary>Renames columns, keys, foreign keys and indexes to snake_case after the model is built.</summary>
internal static class SnakeCaseNames
{
    public static string Convert(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);

    public static void Apply(ModelBuilder builder)
    {
        foreach (var entity in builder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(Convert(property.Name));
                // References to our prefixed ids (user_…, feed_…) are short; say so once here.
                if (property.ClrType == typeof(string) && property.Name.EndsWith("Id") && property.GetMaxLength() is null)
                    property.SetMaxLength(32);
            }
            foreach (var key in entity.GetKeys())
                key.SetName(Convert(key.GetName()!));
            foreach (var foreignKey in entity.GetForeignKeys())
                foreignKey.SetConstraintName(Convert(foreignKey.GetConstraintName()!));
            foreach (var index in entity.GetIndexes())
                index.SetDatabaseName(Convert(index.GetDatabaseName()!));
        }
    }
}

/// <summary>Stores enums as readable snake_case text (<c>moderator</c>, <c>dm</c>) rather than numbers.</summary>
internal sealed class SnakeCaseEnumConverter<TEnum>() : ValueConverter<TEnum, string>(ToText, FromText)
    where TEnum : struct, Enum
{
    private static readonly Expression<Func<TEnum, string>> ToText = v => SnakeCaseNames.Convert(v.ToString());
    private static readonly Expression<Func<string, TEnum>> FromText = v => Enum.Parse<TEnum>(v.Replace("_", ""), true);
}
