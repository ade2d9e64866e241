using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Whop.Inbox.Common;

/// <summary>
/// The API described: the OpenAPI document at <c>/openapi/v1.json</c>, built from the endpoints' typed
/// results, and a browsable reference of it at <c>/api/docs</c> (Scalar) whose scripts the app serves
/// itself from the package, so it works offline and under the app's Content-Security-Policy.
/// </summary>
public static class ApiReference
{
    public const string DocsPath = "/api/docs";

    public static IServiceCollection AddApiReference(this IServiceCollection services) => services.AddOpenApi(options =>
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Whop Inbox API";
            return Task.CompletedTask;
        });
        options.AddSchemaTransformer(async (schema, context, ct) =>
        {
            if (context.JsonTypeInfo.Type == typeof(ProblemDetails)) DescribeErrorObject(schema);
            // A field that may be absent is, when present, its value: the wire never sees the wrapper,
            // and the field is never required.
            if (OptionalValueType(context.JsonTypeInfo.Type) is { } valueType)
            {
                var value = await context.GetOrCreateSchemaAsync(valueType, cancellationToken: ct);
                schema.Type = value.Type | (Nullable.GetUnderlyingType(valueType) is null && valueType.IsValueType ? 0 : JsonSchemaType.Null);
                schema.Items = value.Items;
                schema.Properties?.Clear();
                foreach (var (name, property) in value.Properties ?? new Dictionary<string, IOpenApiSchema>())
                    (schema.Properties ??= new Dictionary<string, IOpenApiSchema>())[name] = property;
                schema.Required = value.Required;
            }
            foreach (var property in context.JsonTypeInfo.Properties)
            {
                if (OptionalValueType(property.PropertyType) is not null) schema.Required?.Remove(property.Name);
            }
        });
    });

    private static Type? OptionalValueType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Optional<>) ? type.GetGenericArguments()[0] : null;

    public static IEndpointRouteBuilder MapApiReference(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference(DocsPath, options => options
            .WithTitle("Whop Inbox API")
            // Nothing that reaches outside the app: no web fonts, AI chat, MCP, telemetry or hosted toolbar.
            .DisableDefaultFonts()
            .DisableAgent()
            .DisableMcp()
            .DisableTelemetry()
            .HideDeveloperTools()
            // The page starts its script inline: a one-use nonce lets exactly that script run (SecurityHeaders).
            .WithNonce());
        return app;
    }

    /// <summary>The nonce the reference page put on its script tags, for the page's Content-Security-Policy.</summary>
    public static string? ScriptNonce(HttpContext context) => context.Items[ScalarOptions.NonceHttpContextItemKey] as string;

    /// <summary>The <c>error</c> and <c>errors</c> members every problem carries (<see cref="ApiProblems"/>).</summary>
    private static void DescribeErrorObject(OpenApiSchema schema)
    {
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        schema.Properties["error"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "What went wrong, for SDKs to show.",
            Required = new HashSet<string> { "type", "message" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Enum = [.. ApiProblems.ErrorTypes.Values.Append(ApiProblems.ServerError).Select(t => (JsonNode)JsonValue.Create(t))],
                },
                ["message"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["param"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = "The offending field, if one." },
            },
        };
        schema.Properties["errors"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "The offending field's messages, by field name, when one field is at fault.",
            AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
        };
    }
}
