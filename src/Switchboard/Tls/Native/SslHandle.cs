using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Switchboard.Tls.Native;

/// <summary>
/// Owns an <c>SSL*</c> (and, through <c>SSL_set_bio</c>, its two memory BIOs) and the GCHandle its ex_data
/// points to. The GCHandle is freed only after <c>SSL_free</c>, so no callback can see a dangling handle.
/// </summary>
internal sealed class SslHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SslHandle()
        : base(ownsHandle: true)
    {
    }

    public GCHandle Owner { get; set; }

    protected override bool ReleaseHandle()
    {
        LibSsl.SSL_free(handle);
        if (Owner.IsAllocated)
        {
            Owner.Free();
        }
        return true;
    }
}
