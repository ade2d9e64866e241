using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Webhooks;

namespace Whop.Inbox.Observability;

/// <summary>
/// The app's metrics and traces (<see cref="InboxMetrics"/>, <see cref="InboxTracing"/>) and the
/// framework's, exported with OpenTelemetry when <see cref="TelemetryOptions.Enabled"/> is on.
/// </summary>
public static class TelemetrySetup
{
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// Meters exported beside the app's own: requests, Kestrel's connections, the hub's connections, the
    /// rate limiter and the circuits from ASP.NET Core; GC, JIT and thread pool from the runtime; Npgsql's pool.
    /// </summary>
    private static readonly string[] FrameworkMeters =
        [
            "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Http.Connections",
            "Microsoft.AspNetCore.RateLimiting", "Microsoft.AspNetCore.Components.Server.Circuits", "System.Runtime", "Npgsql",
        ];

    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder)
    {
        // Always: the code counts whether or not anyone listens, and an unheard instrument costs a check.
        builder.Services.AddSingleton<InboxMetrics>();
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var options = Options(builder.Configuration);
        if (!options.Enabled) return builder;

        var telemetry = builder.Services.AddOpenTelemetry().ConfigureResource(r => r.AddService(options.ServiceName));
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter(InboxMetrics.MeterName, WebhookSender.Meter.Name).AddMeter(FrameworkMeters).AddAspNetCoreInstrumentation();
            if (options.Prometheus) metrics.AddPrometheusExporter();
            if (options.OtlpEndpoint is { } endpoint) metrics.AddOtlpExporter(o => Point(o, endpoint, options));
        });
        if (options.OtlpEndpoint is { } traceEndpoint)
        {
            telemetry.WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.TraceSampleRatio)))
                .AddSource(InboxTracing.SourceName, "Npgsql", "Microsoft.AspNetCore.SignalR.Server")
                // The hub's long-lived connection and the circuits' socket are one request each: no span for those.
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsLongLived(context.Request.Path))
                .AddOtlpExporter(o => Point(o, traceEndpoint, options)));
        }
        return builder;
    }

    /// <summary>
    /// The scraping endpoint on a port of its own, with no credential, answered before anything else runs
    /// (the port, not a header, decides: a <c>Host</c> header is the client's to choose).
    /// </summary>
    public static IApplicationBuilder UsePrometheusPort(this WebApplication app)
    {
        var options = Options(app.Configuration);
        if (options is { Enabled: true, Prometheus: true, PrometheusPort: { } port })
            app.UseOpenTelemetryPrometheusScrapingEndpoint(context => context.Connection.LocalPort == port && context.Request.Path == MetricsPath);
        return app;
    }

    /// <summary>The scraping endpoint on the app's own ports, for the operator's API keys (the rights table's <see cref="InboxAction.ReadMetrics"/>).</summary>
    public static IEndpointRouteBuilder MapMetrics(this WebApplication app)
    {
        var options = Options(app.Configuration);
        if (options is { Enabled: true, Prometheus: true, PrometheusPort: null })
            app.MapPrometheusScrapingEndpoint(MetricsPath).RequireAuthorization(InboxPolicies.ReadMetrics);
        return app;
    }

    private static TelemetryOptions Options(IConfiguration configuration) =>
        configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();

    private static void Point(OtlpExporterOptions exporter, Uri endpoint, TelemetryOptions options)
    {
        exporter.Endpoint = endpoint;
        exporter.Protocol = options.OtlpProtocol == "http" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
    }

    private static bool IsLongLived(PathString path) =>
        path.StartsWithSegments("/hubs") || path.StartsWithSegments(Admission.AdmissionMiddleware.BlazorHubPath);
}
