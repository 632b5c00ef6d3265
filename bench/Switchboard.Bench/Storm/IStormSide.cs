namespace Switchboard.Bench.Storm;

/// <summary>One of the two managers under test, as the storm drives it: Switchboard or the naive baseline.</summary>
internal interface IStormSide : IAsyncDisposable
{
    string Name { get; }

    bool Running { get; }

    /// <summary>
    /// How long after a storm the manager may still do work it deferred, once (Switchboard: the session
    /// file's save, at most persist-interval after the last session changed). Idle is measured after it.
    /// </summary>
    TimeSpan DeferredWork { get; }

    /// <summary>Failed connection attempts since this process started, by cause (cumulative over manager instances).</summary>
    IReadOnlyDictionary<string, long> FailuresByCause();

    /// <summary>Links that were up and went down since this process started, by cause (cumulative over manager instances).</summary>
    IReadOnlyDictionary<string, long> DropsByCause();

    /// <summary>Resumed handshakes without a fresh key exchange since this process started; null when the side cannot tell.</summary>
    long? ResumedWithoutKeyExchange { get; }

    /// <summary>A new manager instance that starts connecting every endpoint at once.</summary>
    Task StartAsync();

    /// <summary>The manager's own status query: the call whose latency the storm measures.</summary>
    Task<SideSnapshot> StatusAsync(CancellationToken cancellation);

    /// <summary>Stops the current instance the way its operator would (Switchboard: CoordinatedShutdown, which persists sessions).</summary>
    Task StopAsync();
}
