using Akka.Actor;
using Akka.DistributedData;
using System.Runtime.Serialization;
using Akka.Serialization;
using Switchboard.Resumption;
using Switchboard.Tls;

namespace Switchboard.Cluster;

/// <summary>
/// The value of an endpoint's replicated register: its newest certificate-free session, the key it may be
/// offered under (so a master with another certificate or CA never offers it), its expiry and its chain.
/// <see cref="Removed"/> (no bytes) is what a retired endpoint's register is overwritten with: a deleted
/// key would leave a tombstone for ever.
/// </summary>
internal sealed record ReplicatedSession(string Key, byte[] Der, TlsVersion Protocol, DateTime ExpiresAtUtc, DateTime ChainStartedUtc, DateTime PeerNotAfterUtc, string? PeerSerial)
{
    public static readonly ReplicatedSession Removed = new(string.Empty, [], TlsVersion.Tls13, DateTime.MinValue, DateTime.MinValue, DateTime.MinValue, null);

    public bool IsRemoved => Der.Length == 0;

    public static LWWRegisterKey<ReplicatedSession> RegisterKey(string endpointName) => new("switchboard-session-" + endpointName.ToLowerInvariant());

    public static ReplicatedSession From(ResumptionCacheActor.SessionReplica replica) =>
        new(replica.Key, replica.Der, replica.Protocol, replica.ExpiresAtUtc, replica.Chain.StartedUtc, replica.Chain.PeerNotAfterUtc, replica.Chain.PeerSerial);

    public ResumptionCacheActor.SessionReplica ToReplica(string endpointName) =>
        new(endpointName, Key, Der, Protocol, ExpiresAtUtc, new SessionChain(ChainStartedUtc, PeerNotAfterUtc, PeerSerial));
}

/// <summary>
/// A compact binary form for <see cref="ReplicatedSession"/> (bound in cluster.conf): a replicated session
/// is a few hundred bytes to 3.5 KiB (RSA-4096), gossiped to every master, so no JSON and no type names.
/// </summary>
internal sealed class ReplicatedSessionSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    private const string SessionManifest = "S1";

    public override int Identifier => 7_311;

    public override string Manifest(object o) => o is ReplicatedSession ? SessionManifest : throw new ArgumentException($"cannot serialize {o.GetType()}");

    public override byte[] ToBinary(object obj)
    {
        var session = (ReplicatedSession)obj;
        using var stream = new MemoryStream(64 + session.Key.Length + session.Der.Length);
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(session.Key);
            writer.Write(session.Der.Length);
            writer.Write(session.Der);
            writer.Write((int)session.Protocol);
            writer.Write(session.ExpiresAtUtc.Ticks);
            writer.Write(session.ChainStartedUtc.Ticks);
            writer.Write(session.PeerNotAfterUtc.Ticks);
            writer.Write(session.PeerSerial ?? string.Empty);
        }

        return stream.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (manifest != SessionManifest)
        {
            throw new SerializationException($"unknown replicated session manifest '{manifest}'");
        }

        using var reader = new BinaryReader(new MemoryStream(bytes));
        var key = reader.ReadString();
        var der = reader.ReadBytes(reader.ReadInt32());
        var protocol = (TlsVersion)reader.ReadInt32();
        var expires = new DateTime(reader.ReadInt64(), DateTimeKind.Utc);
        var started = new DateTime(reader.ReadInt64(), DateTimeKind.Utc);
        var notAfter = new DateTime(reader.ReadInt64(), DateTimeKind.Utc);
        var serial = reader.ReadString();
        return new ReplicatedSession(key, der, protocol, expires, started, notAfter, serial.Length == 0 ? null : serial);
    }
}
