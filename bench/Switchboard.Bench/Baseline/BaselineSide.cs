using Switchboard.Bench.Storm;
using Switchboard.Configuration;
using Switchboard.Testing.Pki;

namespace Switchboard.Bench.Baseline;

/// <summary>
/// The naive manager under the storm. A restart disposes it and creates a new instance; its status is
/// read the way such an application would serve it, as work queued to the thread pool, so the latency
/// shows how responsive the process stays while thousands of handshakes compete for the same threads.
/// </summary>
internal sealed class BaselineSide(PkiLayout pki, IReadOnlyList<EndpointSettings> endpoints, NaiveOptions options) : IStormSide
{
    private readonly NaiveFailures _failures = new();
    private NaiveManager? _manager;

    public string Name => StormSides.Baseline;

    public bool Running => _manager is not null;

    public TimeSpan DeferredWork => TimeSpan.Zero;

    public IReadOnlyDictionary<string, long> FailuresByCause() => _failures.Failures();

    public IReadOnlyDictionary<string, long> DropsByCause() => _failures.Drops();

    /// <summary>SslStream does not say how a handshake resumed.</summary>
    public long? ResumedWithoutKeyExchange => null;

    public Task StartAsync()
    {
        _manager = new NaiveManager(endpoints, pki, options, _failures);
        _manager.Start();
        return Task.CompletedTask;
    }

    public async Task<SideSnapshot> StatusAsync(CancellationToken cancellation)
    {
        var manager = _manager ?? throw new InvalidOperationException("no manager running");
        var status = await Task.Run(manager.Status, cancellation);
        return new SideSnapshot(status.Connected, status.Handshakes, null, null);
    }

    public async Task StopAsync()
    {
        if (_manager is { } manager)
        {
            _manager = null;
            await manager.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
