namespace Switchboard.Resumption;

/// <summary>Everything the session file carries: the client's sessions and the server's ticket keys (if any).</summary>
internal sealed record SessionFileContents(IReadOnlyList<PersistedSession> Sessions, TicketKeyRing? TicketKeys)
{
    public static SessionFileContents Empty { get; } = new([], null);
}
