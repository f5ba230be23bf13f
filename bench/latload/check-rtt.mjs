#!/usr/bin/env node
// bench/latload/check-rtt.mjs PING.txt HOPS.tsv: does ping's printed RTT end
// where the trace says the reply reached the source host ("home"), or when
// ping woke up ("woke")?  Aligns the traced pings (analyze.mjs's hops-N.tsv,
// ns from ping's sendto) with ping's icmp_seq by the offset that fits best,
// and prints the median of RTT - (home - send) and of RTT - (woke - send).
import fs from "node:fs";
const [f, h] = process.argv.slice(2);
const rt=new Map([...fs.readFileSync(f,"utf8").matchAll(/icmp_seq=(\d+) .*time=([\d.]+) ms/g)].map(m=>[+m[1],+m[2]*1000]));
const rows=fs.readFileSync(h,"utf8").trim().split("\n").slice(1).map(l=>l.split("\t").map(Number));
const med=a=>[...a].sort((x,y)=>x-y)[a.length>>1];
let best=null;
for(let off=-5;off<=200;off++){const d=[];for(let i=0;i<rows.length;i++){const s=rt.get(i+off);if(s===undefined)continue;d.push(Math.abs(s-rows[i][10]/1000))}
 if(d.length>40){const m=med(d); if(!best||m<best[1])best=[off,m,d.length]}}
const off=best[0];const dh=[],dw=[];
for(let i=0;i<rows.length;i++){const s=rt.get(i+off);if(s===undefined)continue;dh.push(s-rows[i][10]/1000);dw.push(s-rows[i][11]/1000)}
console.log(`seq offset ${off}, ${dh.length} pings: ping RTT - trace(send->home) median ${med(dh).toFixed(1)} us [abs p90 ${[...dh].map(Math.abs).sort((x,y)=>x-y)[Math.floor(dh.length*0.9)].toFixed(1)}]; ping RTT - trace(send->woke) median ${med(dw).toFixed(1)} us`);
