using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Whop.Inbox.Common;

/// <summary>
/// Which query or route value a 400 from the framework's parameter binding was about, so the answer can
/// name it: the first of the endpoint's parsable parameters (<c>first</c>, <c>open</c>, …) whose value does
/// not parse. Read from the endpoint's own metadata, not from the framework's wording: the request
/// delegates generated at build time answer a bad optional number with a bare 400 and no exception.
/// </summary>
internal sealed record BindingFailure(string Field, string Message)
{
    public static BindingFailure? Find(HttpContext context)
    {
        if (context.GetEndpoint() is not { } endpoint) return null;
        foreach (var parameter in endpoint.Metadata.GetOrderedMetadata<IParameterBindingMetadata>())
        {
            if (!parameter.HasTryParse) continue;
            var key = parameter.ParameterInfo.GetCustomAttribute<FromQueryAttribute>()?.Name ?? parameter.Name;
            var value = context.GetRouteValue(key)?.ToString() ?? context.Request.Query[key].ToString();
            if (string.IsNullOrEmpty(value)) continue;
            var type = Nullable.GetUnderlyingType(parameter.ParameterInfo.ParameterType) ?? parameter.ParameterInfo.ParameterType;
            if (Parses(type, value)) continue;
            var field = JsonNamingPolicy.SnakeCaseLower.ConvertName(key);
            var expected = type == typeof(int) || type == typeof(long) ? "a whole number" : type == typeof(bool) ? "true or false" : "a valid value";
            return new(field, $"{field} must be {expected} (got \"{value}\").");
        }
        return null;
    }

    /// <summary>Whether the framework's parse of <paramref name="type"/> takes the value: its <c>TryParse</c> with the invariant culture, or without one.</summary>
    private static bool Parses(Type type, string value)
    {
        if (type.IsEnum) return Enum.TryParse(type, value, ignoreCase: true, out _);
        var byRef = type.MakeByRefType();
        const BindingFlags statics = BindingFlags.Public | BindingFlags.Static;
        if (type.GetMethod("TryParse", statics, [typeof(string), typeof(IFormatProvider), byRef]) is { } withCulture)
            return (bool)withCulture.Invoke(null, [value, CultureInfo.InvariantCulture, null])!;
        if (type.GetMethod("TryParse", statics, [typeof(string), byRef]) is { } plain) return (bool)plain.Invoke(null, [value, null])!;
        // A type parsed some other way: this value cannot be judged here, so it is not blamed.
        return true;
    }
}
