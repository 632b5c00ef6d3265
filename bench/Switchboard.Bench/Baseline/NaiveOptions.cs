namespace Switchboard.Bench.Baseline;

/// <summary>
/// The knobs a .NET user would pick without thinking much about storms: Icinga's 10 s deadlines, a fixed
/// 1 s retry delay, a heartbeat so the agents' idle timeout (60 s) does not cut healthy links.
/// </summary>
internal sealed record NaiveOptions(TimeSpan ConnectTimeout, TimeSpan HandshakeTimeout, TimeSpan RetryDelay, TimeSpan HeartbeatInterval, bool Tls12Only = false)
{
    public static readonly NaiveOptions Default = new(
        TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20));
}
