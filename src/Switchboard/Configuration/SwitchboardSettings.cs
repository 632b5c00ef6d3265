using System.Collections.Immutable;

namespace Switchboard.Configuration;

/// <summary>Everything under <c>switchboard { }</c>, parsed and validated once (see reference.conf for meaning and defaults).</summary>
public sealed record SwitchboardSettings(
    TlsSettings Tls,
    ImmutableArray<EndpointSettings> Endpoints,
    IoSettings Io,
    ConnectionSettings Connection,
    BackoffSettings Backoff,
    AdmissionSettings Admission,
    ListenerSettings Listener,
    ResumptionSettings Resumption,
    MetricsSettings? Metrics = null,
    ClusterSettings? Cluster = null);
