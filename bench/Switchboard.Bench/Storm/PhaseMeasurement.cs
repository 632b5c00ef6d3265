namespace Switchboard.Bench.Storm;

/// <summary>Everything measured for one phase of one side in one run (one worker process writes these).</summary>
internal sealed record PhaseMeasurement
{
    public required string Phase { get; init; }

    public required string Side { get; init; }

    public required int Endpoints { get; init; }

    /// <summary>Every endpoint connected (and, after agentdrop, handshaken again) within the phase limit.</summary>
    public required bool Completed { get; init; }

    /// <summary>Why the phase did not complete, or null.</summary>
    public string? Failure { get; init; }

    public required int Connected { get; init; }

    /// <summary>From the phase's start (manager start or trigger) until the status first showed every endpoint done.</summary>
    public required double Seconds { get; init; }

    /// <summary>From the phase's start until the first handshake of the phase completed: a manager's start-up shows here.</summary>
    public double? FirstHandshakeSeconds { get; init; }

    /// <summary>Size of Switchboard's session file when the phase started (null: none, or the baseline).</summary>
    public long? SessionFileBytes { get; init; }

    /// <summary>This process's CPU time over the phase: the manager only, the fleet runs elsewhere.</summary>
    public required double CpuSeconds { get; init; }

    public required int ThreadsAtStart { get; init; }

    public required int PeakThreads { get; init; }

    /// <summary>RSS before this process's first manager connected anything.</summary>
    public required long RssBeforeBytes { get; init; }

    public required long PeakRssBytes { get; init; }

    /// <summary>RSS the moment the phase completed.</summary>
    public required long RssAfterBytes { get; init; }

    /// <summary>RSS after a full garbage collection and a second of rest: the steady cost of the links.</summary>
    public required long RssSettledBytes { get; init; }

    /// <summary>(settled RSS − RSS before the first connect) / endpoints.</summary>
    public required double MemoryPerEndpointBytes { get; init; }

    /// <summary>(RSS at completion − RSS before the first connect) / endpoints, garbage included.</summary>
    public required double MemoryPerEndpointAtCompletionBytes { get; init; }

    public required long Handshakes { get; init; }

    public long? FullHandshakes { get; init; }

    public long? ResumedHandshakes { get; init; }

    /// <summary>Resumed handshakes that ran no fresh (EC)DHE exchange (TLS 1.3 psk_ke, TLS 1.2); null: the side cannot tell.</summary>
    public long? ResumedWithoutKeyExchange { get; init; }

    public double? ResumedShare => FullHandshakes is { } full && ResumedHandshakes is { } resumed && full + resumed > 0
        ? (double)resumed / (full + resumed)
        : null;

    /// <summary>Handshake and connect timeouts during the phase.</summary>
    public required long Timeouts { get; init; }

    /// <summary>Every failed connection attempt during the phase, timeouts included.</summary>
    public required long Failures { get; init; }

    public required IReadOnlyDictionary<string, long> FailuresByCause { get; init; }

    /// <summary>Links that were up and went down during the phase (agentdrop: the drops themselves).</summary>
    public required long LinksDropped { get; init; }

    public required IReadOnlyDictionary<string, long> DropsByCause { get; init; }

    public required int StatusQueries { get; init; }

    public required double StatusP50Ms { get; init; }

    public required double StatusP99Ms { get; init; }

    /// <summary>The first status query of the phase; after a manager start it pays for compiling the status path.</summary>
    public required double StatusFirstMs { get; init; }

    /// <summary>
    /// When the first query was answered, counted from the phase's start: for cold and restart, from before the
    /// manager's start call, so a start that returns sooner but leaves its supervisor to start later gains nothing.
    /// </summary>
    public double? StatusFirstAnswerMs { get; init; }

    /// <summary>The p99 without that first query.</summary>
    public required double StatusP99AfterFirstMs { get; init; }

    public required double StatusMaxMs { get; init; }

    public required IReadOnlyList<Sample> Samples { get; init; }

    /// <summary>Idle phase: CPU seconds per second of wall time (cores kept busy).</summary>
    public double? CpuPerSecond { get; init; }

    /// <summary>Idle phase: context switches per second over all threads (wake-ups and preemptions).</summary>
    public double? ContextSwitchesPerSecond { get; init; }

    /// <summary>Time the garbage collector held every managed thread over the phase (the manager's process), in ms.</summary>
    public double? GcPauseMs { get; init; }

    /// <summary>Collections over the phase (every generation counts as a gen-0 one too).</summary>
    public int? GcCollections { get; init; }

    /// <summary>Managed bytes this process allocated over the phase (the baseline's and the probe's included): what feeds the collections.</summary>
    public long? AllocatedBytes { get; init; }

    public double? AllocatedKiBPerHandshake => AllocatedBytes is { } bytes && Handshakes > 0 ? bytes / 1024.0 / Handshakes : null;

    /// <summary>
    /// Cold and restart: of <see cref="CpuSeconds"/>, what starting the manager took (its config, the actor system, the
    /// runtime), every thread counted, until the start call returned. The endpoints' first attempts may overlap its end.
    /// </summary>
    public double? StartCpuSeconds { get; init; }

    /// <summary>Of <see cref="CpuSeconds"/>, the time spent in the kernel: system calls, page faults, loopback TCP.</summary>
    public double? SystemCpuSeconds { get; init; }

    /// <summary>Minor page faults over the phase: memory touched for the first time (a new heap, a grown arena, pages given back and taken again).</summary>
    public long? PageFaults { get; init; }

    /// <summary>Time the JIT compiler took over the phase (<see cref="Shared.ProcessProbe.JitSeconds"/>): in a new process, its start's and its first handshakes' compilation.</summary>
    public double? JitSeconds { get; init; }

    /// <summary>Of <see cref="JitSeconds"/>, what fell within the start call (<see cref="StartCpuSeconds"/>).</summary>
    public double? StartJitSeconds { get; init; }

    /// <summary>Methods the JIT compiler compiled over the phase.</summary>
    public long? JitMethods { get; init; }

    public double? PageFaultsPerHandshake => PageFaults is { } faults && Handshakes > 0 ? (double)faults / Handshakes : null;

    /// <summary>The fleet's own CPU over the phase (user + system of its processes): the other half of every handshake.</summary>
    public double? FleetCpuSeconds { get; init; }

    /// <summary>How long after the manager saw every link up the fleet finished its side of the handshakes (the phase ends then).</summary>
    public double? FleetSettleSeconds { get; init; }

    /// <summary>Of the machine's CPU time over the phase, the share no process used: near 0, the phase was bound by the cores.</summary>
    public double? MachineIdleShare { get; init; }

    /// <summary>The longest single collection pause over the phase, in ms.</summary>
    public double? GcMaxPauseMs { get; init; }

    /// <summary>The status p99 with the collection pauses each query overlapped taken out: the control path's own share.</summary>
    public double? StatusP99OutsideGcMs { get; init; }

    /// <summary>
    /// The status p99 with both the collection pauses and the machine's stalls (<see cref="MachineStalls"/>) each
    /// query overlapped taken out; null when the storm ran no stall monitor.
    /// </summary>
    public double? StatusP99OutsideGcAndMachineStallsMs { get; init; }

    /// <summary>The three slowest status queries: when each was due (seconds into the phase) and its latency (ms).</summary>
    public IReadOnlyList<double[]>? StatusSlowest { get; init; }

    /// <summary>The longest stall of the whole machine over the phase, in ms (0: none of 20 ms or more).</summary>
    public double? MachineStallMaxMs { get; init; }
}
