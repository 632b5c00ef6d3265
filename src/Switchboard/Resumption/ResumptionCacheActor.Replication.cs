using Akka.Actor;
using Switchboard.Tls;

namespace Switchboard.Resumption;

/// <summary>
/// A replica elsewhere (Switchboard.Cluster's replicated layer): every session an endpoint stores here is
/// also told to the replica, and a node that takes over an endpoint with nothing stored for it imports the
/// newest session the replica holds, so a moved endpoint resumes instead of paying a full handshake
/// (architecture §14). The single-node runtime never attaches one.
/// </summary>
internal sealed partial class ResumptionCacheActor
{
    /// <summary>From now on, tell <paramref name="Replica"/> a <see cref="SessionReplica"/> for each session stored.</summary>
    internal sealed record ReplicateTo(IActorRef Replica);

    /// <summary>
    /// An endpoint's newest session in the session file's certificate-free form, with everything that bounds
    /// its use: the key it may be offered under, its expiry and its chain.
    /// </summary>
    internal sealed record SessionReplica(string Name, string Key, byte[] Der, TlsVersion Protocol, DateTime ExpiresAtUtc, SessionChain Chain);

    /// <summary>Asks whether the endpoint <paramref name="Name"/> has a session stored here; answered with <see cref="SessionHeld"/>.</summary>
    internal sealed record HoldsSession(string Name);

    internal sealed record SessionHeld(string Name, bool Held);

    /// <summary>Stores a replica's session; one that has expired or outlived its chain is dropped.</summary>
    internal sealed record ImportReplica(SessionReplica Replica);

    /// <returns>false when the message is not about replication.</returns>
    private bool Replication(object message)
    {
        switch (message)
        {
            case ReplicateTo m: _replica = m.Replica; return true;
            case HoldsSession m: Sender.Tell(new SessionHeld(m.Name, _keys.TryGetValue(m.Name, out var key) && _store.Holds(key))); return true;
            case ImportReplica m: Import(m.Replica); return true;
            default: return false;
        }
    }

    private void Import(SessionReplica replica)
    {
        var now = DateTime.UtcNow;
        var until = replica.Chain.OfferableUntil(_settings.ChainAge);
        if (replica.ExpiresAtUtc <= now || until <= now || replica.Der.Length == 0)
        {
            return;
        }

        var expires = replica.ExpiresAtUtc < until ? replica.ExpiresAtUtc : until;
        Store(replica.Key, CachedSession.FromShared(replica.Der, replica.Protocol, expires, replica.Chain));
        _countDue = true;
    }

    /// <summary>A session that vouches for nothing is never offered, so it is not worth replicating either.</summary>
    private void Replicate(string key, CachedSession cached)
    {
        if (_replica is null || cached.Chain == SessionChain.Unknown)
        {
            return;
        }

        var separator = key.IndexOf('|', StringComparison.Ordinal);
        var name = separator < 0 ? key : key[..separator];
        _replica.Tell(new SessionReplica(name, key, cached.CopyDer(), cached.Protocol, cached.ExpiresAtUtc, cached.Chain));
    }
}
