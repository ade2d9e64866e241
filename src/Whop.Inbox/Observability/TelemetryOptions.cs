using System.ComponentModel.DataAnnotations;

namespace Whop.Inbox.Observability;

/// <summary>
/// Exporting metrics and traces with OpenTelemetry (section <c>Telemetry</c>; docs/observability.md).
/// Off by default, and then nothing is registered: the app's instruments have no listener.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    public bool Enabled { get; set; }

    /// <summary>The service name metrics and traces carry (<c>service.name</c>).</summary>
    [Required] public string ServiceName { get; set; } = "whop-inbox";

    /// <summary>
    /// Where to push metrics and traces over OTLP (a collector, e.g. <c>http://localhost:4317</c>). None:
    /// no push, and no traces (they would have nowhere to go); metrics are still scraped from <see cref="Prometheus"/>.
    /// </summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> (port 4317 by convention) or <c>http</c> (http/protobuf, port 4318).</summary>
    [RegularExpression("^(grpc|http)$")] public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>Serve <c>GET /metrics</c> in Prometheus' text format.</summary>
    public bool Prometheus { get; set; } = true;

    /// <summary>
    /// Serve <c>/metrics</c> only to connections on this local port, with no credential (the port must be
    /// one the app listens on: add it to <c>urls</c>, and keep it off the public network). None: served on
    /// every port to the operator's API keys only.
    /// </summary>
    [Range(1, 65535)] public int? PrometheusPort { get; set; }

    /// <summary>The share of traces kept (of those not already decided by a caller's <c>traceparent</c>).</summary>
    [Range(0.0, 1.0)] public double TraceSampleRatio { get; set; } = 0.1;
}
