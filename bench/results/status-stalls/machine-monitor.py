import time,sys,os
os.nice(0)
end=time.monotonic()+float(sys.argv[1]); last=time.monotonic()
out=open(sys.argv[2],'w')
while True:
    time.sleep(0.005); now=time.monotonic()
    if now-last>0.020: out.write(f"gap {1000*(now-last):.1f} ms at mono {now:.3f}\n"); out.flush()
    last=now
    if now>end: break
