using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Whop.Inbox.Data;

/// <summary><c>/healthz</c>: 200 when the database answers, 503 when it does not; either way it names the provider.</summary>
internal sealed class DatabaseHealthCheck(IDbContextFactory<InboxDbContext> contexts) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            return await db.Database.CanConnectAsync(ct)
                ? HealthCheckResult.Healthy("The database answers.")
                : HealthCheckResult.Unhealthy("The database does not answer.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.");
        }
    }
}

public static class HealthEndpoints
{
    public static IHostApplicationBuilder AddInboxHealth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return builder;
    }

    public static IEndpointRouteBuilder MapInboxHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            ResponseWriter = (context, report) =>
            {
                context.Response.ContentType = "application/json";
                return context.Response.WriteAsync(JsonSerializer.Serialize(new
                {
                    status = report.Status.ToString().ToLowerInvariant(),
                    database = report.Entries.TryGetValue("database", out var db) && db.Status == HealthStatus.Healthy ? "up" : "down",
                    provider = context.RequestServices.GetRequiredService<DatabaseDialect>().Provider.ToString().ToLowerInvariant(),
                }));
            },
        }).AllowAnonymous();
        return app;
    }
}
