namespace Switchboard.Configuration;

/// <summary><c>switchboard.resumption</c>: the shmcb-style cache, ticket keys, and the optional session file.</summary>
/// <param name="PersistPath">Null = memory only.</param>
/// <param name="MaxBytes">Null = auto: the client cache follows the endpoint count and the sessions seen.</param>
public sealed record ResumptionSettings(
    bool Enabled,
    string? PersistPath,
    TimeSpan PersistInterval,
    long? MaxBytes,
    TimeSpan MaxAge,
    int TicketsPerEndpoint,
    int SubCaches,
    TimeSpan TicketKeyRotation,
    bool PersistTicketKeys = false,
    TimeSpan? MaxChainAge = null)
{
    /// <summary>How long sessions may descend from one full handshake (<c>resumption.max-chain-age</c>).</summary>
    public TimeSpan ChainAge => MaxChainAge ?? TimeSpan.FromHours(24);
}
