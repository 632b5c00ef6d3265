using Switchboard.Bench.Storm;

namespace Switchboard.Bench.Report;

/// <summary>The metrics the report summarises, by the name they carry in JSON and the table.</summary>
internal static class Metrics
{
    public const string Seconds = "seconds";
    public const string FirstHandshakeSeconds = "first_handshake_seconds";
    public const string CpuSeconds = "cpu_seconds";
    public const string PeakThreads = "peak_threads";
    public const string PeakRssMiB = "peak_rss_mib";
    public const string KiBPerEndpoint = "kib_per_endpoint";
    public const string KiBPerEndpointAtCompletion = "kib_per_endpoint_at_completion";
    public const string Connected = "connected";
    public const string Handshakes = "handshakes";
    public const string FullHandshakes = "full_handshakes";
    public const string ResumedHandshakes = "resumed_handshakes";
    public const string ResumedShare = "resumed_share";
    public const string ResumedWithoutKeyExchange = "resumed_without_key_exchange";
    public const string Timeouts = "timeouts";
    public const string Failures = "failures";
    public const string LinksDropped = "links_dropped";
    public const string StatusQueries = "status_queries";
    public const string StatusP50Ms = "status_p50_ms";
    public const string StatusP99Ms = "status_p99_ms";
    public const string StatusMaxMs = "status_max_ms";
    public const string StatusFirstMs = "status_first_ms";
    public const string StatusFirstAnswerMs = "status_first_answer_ms";
    public const string StatusP99AfterFirstMs = "status_p99_after_first_ms";
    public const string CpuPerSecond = "cpu_per_second";
    public const string ContextSwitchesPerSecond = "context_switches_per_second";
    public const string GcPauseMs = "gc_pause_ms";
    public const string GcCollections = "gc_collections";
    public const string GcMaxPauseMs = "gc_max_pause_ms";
    public const string AllocatedKiBPerHandshake = "allocated_kib_per_handshake";
    public const string StatusP99OutsideGcMs = "status_p99_outside_gc_ms";
    public const string StatusP99OutsideGcAndMachineStallsMs = "status_p99_outside_gc_and_machine_stalls_ms";
    public const string MachineStallMaxMs = "machine_stall_max_ms";
    public const string SystemCpuSeconds = "system_cpu_seconds";
    public const string StartCpuSeconds = "start_cpu_seconds";
    public const string PageFaultsPerHandshake = "page_faults_per_handshake";
    public const string FleetCpuSeconds = "fleet_cpu_seconds";
    public const string FleetSettleSeconds = "fleet_settle_seconds";
    public const string MachineIdleShare = "machine_idle_share";
    public const string JitSeconds = "jit_seconds";
    public const string StartJitSeconds = "start_jit_seconds";
    public const string JitMethods = "jit_methods";

    public static readonly IReadOnlyList<(string Name, Func<PhaseMeasurement, double?> Read)> All =
    [
        (Seconds, m => m.Seconds),
        (FirstHandshakeSeconds, m => m.FirstHandshakeSeconds),
        (CpuSeconds, m => m.CpuSeconds),
        (PeakThreads, m => m.PeakThreads),
        (PeakRssMiB, m => m.PeakRssBytes / 1048576.0),
        (KiBPerEndpoint, m => m.MemoryPerEndpointBytes / 1024.0),
        (KiBPerEndpointAtCompletion, m => m.MemoryPerEndpointAtCompletionBytes / 1024.0),
        (Connected, m => m.Connected),
        (Handshakes, m => m.Handshakes),
        (FullHandshakes, m => m.FullHandshakes),
        (ResumedHandshakes, m => m.ResumedHandshakes),
        (ResumedShare, m => m.ResumedShare),
        (ResumedWithoutKeyExchange, m => m.ResumedWithoutKeyExchange),
        (Timeouts, m => m.Timeouts),
        (Failures, m => m.Failures),
        (LinksDropped, m => m.LinksDropped),
        (StatusQueries, m => m.StatusQueries),
        (StatusP50Ms, m => m.StatusP50Ms),
        (StatusP99Ms, m => m.StatusP99Ms),
        (StatusMaxMs, m => m.StatusMaxMs),
        (StatusFirstMs, m => m.StatusFirstMs),
        (StatusFirstAnswerMs, m => m.StatusFirstAnswerMs),
        (StatusP99AfterFirstMs, m => m.StatusP99AfterFirstMs),
        (CpuPerSecond, m => m.CpuPerSecond),
        (ContextSwitchesPerSecond, m => m.ContextSwitchesPerSecond),
        (GcPauseMs, m => m.GcPauseMs),
        (GcCollections, m => m.GcCollections),
        (GcMaxPauseMs, m => m.GcMaxPauseMs),
        (AllocatedKiBPerHandshake, m => m.AllocatedKiBPerHandshake),
        (StatusP99OutsideGcMs, m => m.StatusP99OutsideGcMs),
        (StatusP99OutsideGcAndMachineStallsMs, m => m.StatusP99OutsideGcAndMachineStallsMs),
        (MachineStallMaxMs, m => m.MachineStallMaxMs),
        (SystemCpuSeconds, m => m.SystemCpuSeconds),
        (StartCpuSeconds, m => m.StartCpuSeconds),
        (PageFaultsPerHandshake, m => m.PageFaultsPerHandshake),
        (FleetCpuSeconds, m => m.FleetCpuSeconds),
        (FleetSettleSeconds, m => m.FleetSettleSeconds),
        (MachineIdleShare, m => m.MachineIdleShare),
        (JitSeconds, m => m.JitSeconds),
        (StartJitSeconds, m => m.StartJitSeconds),
        (JitMethods, m => m.JitMethods),
    ];

    /// <summary>The ratios the issues ask for, baseline ÷ Switchboard: above 1 means Switchboard needs less.</summary>
    public static readonly string[] Ratios = [Seconds, CpuSeconds, PeakThreads, PeakRssMiB, KiBPerEndpoint];
}
