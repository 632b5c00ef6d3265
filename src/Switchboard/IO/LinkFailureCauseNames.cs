namespace Switchboard.IO;

/// <summary>Stable snake_case names: metric tag values and the prefix of an endpoint's last error.</summary>
internal static class LinkFailureCauseNames
{
    public static string Tag(this LinkFailureCause cause) => cause switch
    {
        LinkFailureCause.Dns => "dns",
        LinkFailureCause.Refused => "refused",
        LinkFailureCause.Unreachable => "unreachable",
        LinkFailureCause.ConnectTimeout => "connect_timeout",
        LinkFailureCause.HandshakeTimeout => "handshake_timeout",
        LinkFailureCause.Certificate => "certificate",
        LinkFailureCause.Identity => "identity",
        LinkFailureCause.Protocol => "protocol",
        LinkFailureCause.PeerClosed => "peer_closed",
        LinkFailureCause.Reset => "reset",
        LinkFailureCause.IdleTimeout => "idle_timeout",
        LinkFailureCause.SendOverflow => "send_overflow",
        LinkFailureCause.FrameTooLarge => "frame_too_large",
        LinkFailureCause.Closed => "closed",
        LinkFailureCause.PendingLimit => "pending_limit",
        _ => "internal",
    };
}
