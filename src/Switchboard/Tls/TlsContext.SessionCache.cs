using System.Runtime.InteropServices;
using Switchboard.Tls.Native;

namespace Switchboard.Tls;

internal sealed unsafe partial class TlsContext
{
    private void InstallServerSessionCache()
    {
        // Only our external cache: OpenSSL's internal one is bounded by entries, not bytes (architecture §9).
        LibSsl.SSL_CTX_ctrl(_handle, LibSsl.CtrlSetSessionCacheMode, LibSsl.SessionCacheServer | LibSsl.SessionCacheNoInternal, IntPtr.Zero);
        LibSsl.SSL_CTX_sess_set_new_cb(_handle, (IntPtr)(delegate* unmanaged<IntPtr, IntPtr, int>)&OnServerNewSession);
        LibSsl.SSL_CTX_sess_set_get_cb(_handle, (IntPtr)(delegate* unmanaged<IntPtr, byte*, int, int*, IntPtr>)&OnServerGetSession);
        LibSsl.SSL_CTX_sess_set_remove_cb(_handle, (IntPtr)(delegate* unmanaged<IntPtr, IntPtr, void>)&OnServerRemoveSession);
    }

    /// <summary>Stores a new server session as DER. Returns 0: OpenSSL keeps its reference, we copied the bytes.</summary>
    [UnmanagedCallersOnly]
    private static int OnServerNewSession(IntPtr ssl, IntPtr session)
    {
        try
        {
            var context = FromSsl(ssl);
            if (context?._sessionCache is not { } cache)
            {
                return 0;
            }
            // TLS 1.3 with stateless tickets reports sessions with dummy IDs nobody will look up.
            if (LibSsl.SSL_SESSION_get_protocol_version(session) >= LibSsl.Tls13Version && context.Options.SessionTickets)
            {
                return 0;
            }
            uint idLength;
            var id = LibSsl.SSL_SESSION_get_id(session, &idLength);
            if (id is null || idLength == 0)
            {
                return 0;
            }
            var length = LibSsl.i2d_SSL_SESSION(session, null);
            if (length <= 0)
            {
                return 0;
            }
            var der = length <= 4096 ? stackalloc byte[length] : new byte[length];
            fixed (byte* start = der)
            {
                var cursor = start;
                if (LibSsl.i2d_SSL_SESSION(session, &cursor) != length)
                {
                    return 0;
                }
            }
            var expires = DateTime.UnixEpoch.AddSeconds(LibSsl.SSL_SESSION_get_time(session) + LibSsl.SSL_SESSION_get_timeout(session));
            cache.Store(new ReadOnlySpan<byte>(id, (int)idLength), der, expires);
            return 0;
        }
        catch (Exception)
        {
            return 0;
        }
    }

    /// <summary>Looks a session ID up; hands OpenSSL the only reference to the decoded session (<c>*copy = 0</c>).</summary>
    [UnmanagedCallersOnly]
    private static IntPtr OnServerGetSession(IntPtr ssl, byte* id, int idLength, int* copy)
    {
        try
        {
            *copy = 0;
            var cache = FromSsl(ssl)?._sessionCache;
            var der = cache?.Find(new ReadOnlySpan<byte>(id, idLength));
            if (der is null || der.Length == 0)
            {
                return IntPtr.Zero;
            }
            fixed (byte* start = der)
            {
                var cursor = start;
                return LibSsl.d2i_SSL_SESSION(IntPtr.Zero, &cursor, der.Length);
            }
        }
        catch (Exception)
        {
            return IntPtr.Zero;
        }
    }

    [UnmanagedCallersOnly]
    private static void OnServerRemoveSession(IntPtr sslContext, IntPtr session)
    {
        try
        {
            var cache = FromNative(sslContext)?._sessionCache;
            if (cache is null)
            {
                return;
            }
            uint idLength;
            var id = LibSsl.SSL_SESSION_get_id(session, &idLength);
            if (id is not null && idLength > 0)
            {
                cache.Remove(new ReadOnlySpan<byte>(id, (int)idLength));
            }
        }
        catch (Exception)
        {
            // A cache that throws must not take the handshake (or OpenSSL) down with it.
        }
    }
}
