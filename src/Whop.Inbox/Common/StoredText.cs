using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.SignalR;

namespace Whop.Inbox.Common;

/// <summary>
/// The one rule for every string a client hands us (stored or looked up): no NUL and no other C0
/// control character except tab, newline and carriage return. Databases refuse NUL in text, so
/// without this a NUL in a message, an id, an emoji or a name was a 500 that a client retrying
/// 5xx answers would send forever; now it is a 400 that names the field. The API and the hub check
/// every argument of every call (<see cref="RefuseControlCharacters"/>, <see cref="HubFilter"/>); the
/// services check what the pages hand them too.
/// </summary>
public static class StoredText
{
    private const int MaxDepth = 4;

    public static bool IsAllowed(char c) => c >= ' ' || c is '\t' or '\n' or '\r';

    /// <summary>A failure naming <paramref name="field"/> when <paramref name="value"/> holds a refused character; null when it is fine.</summary>
    public static Failure? Check(string field, string? value)
    {
        if (value is null) return null;
        for (var i = 0; i < value.Length; i++)
        {
            if (IsAllowed(value[i])) continue;
            return Failure.Invalid(field, string.Create(CultureInfo.InvariantCulture,
                $"{field} must not contain control characters other than tab, newline and carriage return (found U+{(int)value[i]:X4} at position {i})."));
        }
        return null;
    }

    /// <summary>
    /// The first refused string in a call's argument: a string, a list of strings, or one of our
    /// request records (its properties by their JSON names, nested records included).
    /// </summary>
    public static Failure? CheckArgument(string field, object? value, int depth = 0)
    {
        switch (value)
        {
            case null:
                return null;
            case string text:
                return Check(field, text);
            case IEnumerable<string?> texts:
                foreach (var text in texts) if (Check(field, text) is { } failure) return failure;
                return null;
            case IDictionary:
                return null;
            case IEnumerable items when IsOurs(value.GetType().GetElementTypeOfEnumerable()) && depth < MaxDepth:
                foreach (var item in items) if (CheckArgument(field, item, depth + 1) is { } failure) return failure;
                return null;
        }
        if (!IsOurs(value.GetType()) || depth >= MaxDepth) return null;
        foreach (var (property, name) in TextProperties.GetOrAdd(value.GetType(), PropertiesToCheck))
        {
            if (CheckArgument(name, property.GetValue(value), depth + 1) is { } failure) return failure;
        }
        return null;
    }

    // What reflection finds about a type or a hub method never changes: found once, not on every call.
    private static readonly ConcurrentDictionary<Type, (PropertyInfo Property, string Name)[]> TextProperties = new();
    private static readonly ConcurrentDictionary<Type, bool> Ours = new();
    private static readonly ConcurrentDictionary<MethodInfo, string[]> ParameterNames = new();

    private static (PropertyInfo Property, string Name)[] PropertiesToCheck(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.CanRead && !p.PropertyType.IsValueType)
            .Select(p => (p, JsonName(p)))
            .ToArray();

    /// <summary>For the <c>/api/v1</c> group: every string argument of every endpoint, before the handler runs.</summary>
    public static EndpointFilterDelegate RefuseControlCharacters(EndpointFilterFactoryContext factory, EndpointFilterDelegate next)
    {
        var names = factory.MethodInfo.GetParameters().Select(ParameterName).ToArray();
        return async context =>
        {
            for (var i = 0; i < context.Arguments.Count && i < names.Length; i++)
            {
                if (CheckArgument(names[i], context.Arguments[i]) is { } failure) return ApiProblems.From(failure);
            }
            return await next(context);
        };
    }

    /// <summary>The same check for every hub method's arguments; a refusal is <c>invalid_request: …</c>.</summary>
    internal sealed class HubFilter : IHubFilter
    {
        public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
        {
            var names = ParameterNames.GetOrAdd(invocation.HubMethod, static m => m.GetParameters().Select(ParameterName).ToArray());
            for (var i = 0; i < invocation.HubMethodArguments.Count && i < names.Length; i++)
            {
                if (CheckArgument(names[i], invocation.HubMethodArguments[i]) is { } failure)
                    throw new HubException($"invalid_request: {failure.Message}");
            }
            return await next(invocation);
        }
    }

    /// <summary>Our request records (a record has a compiler-made clone method); services and the like are left alone.</summary>
    private static bool IsOurs(Type? type) =>
        type is not null && Ours.GetOrAdd(type, static t => t.Assembly == typeof(StoredText).Assembly && !t.IsValueType && t.GetMethod("<Clone>$") is not null);

    private static Type? GetElementTypeOfEnumerable(this Type type) =>
        type.IsArray ? type.GetElementType()
        : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            ?.GetGenericArguments()[0];

    private static string ParameterName(ParameterInfo parameter) =>
        parameter.GetCustomAttribute<FromQueryAttribute>()?.Name
        ?? parameter.GetCustomAttribute<FromRouteAttribute>()?.Name
        ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(parameter.Name ?? "value");

    private static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name);
}
