import type { CandleColumns } from '@quantum-trader/core';

/**
 * The reference a backtest engine is measured against: ONE plain loop over Float64Array columns that computes the
 * same signals and reproduces the same trades as the full engine on the bench configuration — 24 h momentum (ROC over
 * 1440 one-minute closes, ±1 %), 24 h realized volatility for the take-profit regime, one linear symbol at 1x,
 * fixed notional, a cooldown, market entries, the STANDARD_LADDER (30/30/40 % take profits at the volatility-regime
 * levels, a stop on what remains, re-sized after each take profit), no slippage, the conservative intrabar path, maker
 * and taker fees, and the engine's exact timing (the cycle at the close of candle i runs after that candle and
 * evaluates it, a signal fills at the open of candle i+1; exit legs work from the candle after the fill).
 *
 * Everything is inlined and allocation-free per candle; only a closed trade allocates its record. Float operations
 * are done in the same order as the engine's (rolling variance, rounding to the tick and lot grid, fees, PnL) so the
 * trade lists can be compared for exact equality. Configurations it does not model (a ladder leg below the
 * market minimum, a liquidation, equity below one notional) throw instead of silently diverging.
 */
export interface HandLoopConfig {
  readonly notional: number;
  readonly cooldownMs: number;
  readonly stopLossPct: number;
  readonly initialBalance: number;
  readonly tickSize: number;
  readonly lotStep: number;
  readonly minQty: number;
  readonly minNotional: number;
  readonly makerFee: number;
  readonly takerFee: number;
}

/** One closed position, as the engine journals it in `PositionClosed`. */
export interface HandTrade {
  side: 'long' | 'short';
  entryTs: number;
  entryPrice: number;
  exitTs: number;
  exitPrice: number;
  qty: number;
  pnl: number;
  fees: number;
  exitReason: string;
}

const MINUTE = 60_000;
const PERIOD = 1440; // 24 h of one-minute candles: the momentum look-back and the volatility window
const RESYNC_EVERY = PERIOD * Math.max(8, Math.ceil(1024 / PERIOD));
const CANCELLATION_LIMIT = 1024;
const LOW = [0.0195, 0.0325, 0.052] as const;
const HIGH = [0.03, 0.05, 0.08] as const;

/** Runs the fused loop; returns the closed trades in order. */
export function handLoop(c: CandleColumns, cfg: HandLoopConfig): HandTrade[] {
  const { ts, open, high, low, close } = c;
  const n = c.length;
  const tick = cfg.tickSize;
  const lot = cfg.lotStep;
  const pxDec = decimalsOf(tick);
  const qtyDec = decimalsOf(lot);
  const qtyFactor = 10 ** qtyDec;
  const volScale = Math.sqrt(86_400_000 / MINUTE);
  const invN = 1 / PERIOD;
  const trades: HandTrade[] = [];

  // rolling variance of one-minute returns (the kernel's RealizedVolatility, operation for operation)
  let shift = 0;
  let s1 = 0;
  let s2 = 0;
  let peak = 0;
  let since = 0;
  let sd = Number.NaN;

  // account and position
  let realizedClosed = 0;
  let lastClosedAt = Number.NEGATIVE_INFINITY;
  let pendingFrom = -1; // index of the candle an entry order fills on (-1: none)
  let pendingDir = 0;
  let pendingQty = 0;
  let dir = 0; // +1 long, -1 short, 0 flat
  let stopFrom = 0; // index of the first candle the current stop works on
  let entryTs = 0;
  let entryPx = 0;
  let posQty = 0; // the portfolio's quantity (float arithmetic as the portfolio does it)
  let venueQty = 0; // the venue's quantity (on the lot grid)
  let maxQty = 0;
  let pnl = 0;
  let fees = 0;
  let exitNotional = 0;
  let exitQty = 0;
  let stopPx = 0;
  let stopQty = 0;
  let tp0 = 0;
  let tp1 = 0;
  let tp2 = 0;
  let q0 = 0;
  let q1 = 0;
  let q2 = 0;
  let filled = 0; // take profits filled so far

  const scratch = new Float64Array(4);
  const ring = new Float64Array(PERIOD); // the last PERIOD one-minute returns
  let slot = 0;
  const makerFee = cfg.makerFee;
  const takerFee = cfg.takerFee;

  for (let i = 0; i < n; i++) {
    const t = ts[i]! + MINUTE; // this candle's close time: the candle is matched and fed, then the cycle runs

    // --- the venue matches candle i against the exit legs (conservative path: adverse extreme first) ---
    if (dir !== 0) {
      const o = open[i]!;
      const long = dir > 0;
      const ex1 = long ? low[i]! : high[i]!;
      const ex2 = long ? high[i]! : low[i]!;
      let stopLive = i >= stopFrom;
      // phase 0: take profits the open went through (at the open); 1: the stop; 2: take profits at the extreme
      let phase = 0;
      for (;;) {
        let px: number;
        let rate: number;
        let q: number;
        let leg = -1; // take-profit index, -1 for the stop
        if (phase === 1) {
          phase = 2;
          if (!(stopLive && (long ? ex1 <= stopPx : ex1 >= stopPx))) continue;
          px = long ? (o <= stopPx ? o : stopPx) : o >= stopPx ? o : stopPx;
          rate = takerFee;
          q = stopQty < venueQty ? stopQty : venueQty;
        } else {
          if (filled === 3) break;
          const L = filled === 0 ? tp0 : filled === 1 ? tp1 : tp2;
          if (phase === 0 && (long ? o >= L : o <= L)) {
            px = o;
            rate = o === L ? makerFee : takerFee;
          } else if (phase === 2 && (long ? ex2 >= L : ex2 <= L)) {
            px = L;
            rate = makerFee;
          } else if (phase === 0) {
            phase = 1;
            continue;
          } else break;
          leg = filled;
          const want = leg === 0 ? q0 : leg === 1 ? q1 : q2;
          q = want < venueQty ? want : venueQty;
        }
        // the fill, booked as the venue and the portfolio book it
        const fee = q * px * rate;
        const closeQty = Math.min(posQty, q);
        const feeShare = q > 0 ? fee * (closeQty / q) : 0;
        pnl += (px - entryPx) * closeQty * dir - feeShare;
        fees += feeShare;
        exitNotional += px * closeQty;
        exitQty += closeQty;
        posQty = posQty - closeQty;
        venueQty = Math.round((venueQty - q) * qtyFactor) / qtyFactor;
        if (posQty <= 1e-12 * Math.max(1, maxQty)) {
          trades.push({
            side: long ? 'long' : 'short',
            entryTs,
            entryPrice: entryPx,
            exitTs: t,
            exitPrice: exitQty > 0 ? exitNotional / exitQty : px,
            qty: maxQty,
            pnl: Math.round(pnl * 1e8) / 1e8,
            fees: Math.round(fees * 1e8) / 1e8,
            exitReason: leg < 0 ? 'stop_loss' : leg === 0 ? 'tp1' : leg === 1 ? 'tp2' : 'tp3',
          });
          realizedClosed += pnl;
          lastClosedAt = t;
          dir = 0;
          break;
        }
        if (leg < 0) throw new Error('hand loop: a stop that leaves part of the position open is not modelled');
        // a take profit filled: the stop is re-sized to what remains and works from the next candle
        filled = leg + 1;
        stopLive = false;
        stopQty = floorToStep(Math.round(posQty * 1e12) / 1e12, lot, qtyDec);
        stopFrom = i + 1;
      }
    }

    // --- the entry fills at this candle's open (taker); the ladder uses the volatility as of candle i-1 ---
    if (pendingFrom === i) {
      const px = open[i]!;
      const q = pendingQty;
      const fee = q * px * takerFee;
      dir = pendingDir;
      pendingFrom = -1;
      entryTs = t;
      entryPx = px;
      posQty = q;
      venueQty = Math.round(q * qtyFactor) / qtyFactor;
      maxQty = q;
      pnl = -fee;
      fees = fee;
      exitNotional = 0;
      exitQty = 0;
      filled = 0;
      const vol = sd * volScale; // NaN while not warm
      const v = Number.isFinite(vol) && vol > 0 ? vol : 0;
      let p0: number = LOW[0];
      let p1: number = LOW[1];
      let p2: number = LOW[2];
      if (v >= 0.05) {
        p0 = HIGH[0];
        p1 = HIGH[1];
        p2 = HIGH[2];
      } else if (v > 0.02) {
        const f = (v - 0.02) / (0.05 - 0.02);
        p0 = Number((LOW[0] + (HIGH[0] - LOW[0]) * f).toFixed(10));
        p1 = Number((LOW[1] + (HIGH[1] - LOW[1]) * f).toFixed(10));
        p2 = Number((LOW[2] + (HIGH[2] - LOW[2]) * f).toFixed(10));
      }
      const up = dir > 0;
      tp0 = awayFromEntry(px, p0, up, tick, pxDec);
      tp1 = awayFromEntry(px, p1, up, tick, pxDec);
      tp2 = awayFromEntry(px, p2, up, tick, pxDec);
      stopPx = awayFromEntry(px, Number(Math.min(cfg.stopLossPct, 0.999).toFixed(10)), !up, tick, pxDec);
      const units = Math.round(q / lot);
      const u0 = Math.floor(units * 0.3 + 1e-9);
      const u1 = Math.floor(units * 0.3 + 1e-9);
      const u2 = units - u0 - u1;
      q0 = Number((u0 * lot).toFixed(qtyDec));
      q1 = Number((u1 * lot).toFixed(qtyDec));
      q2 = Number((u2 * lot).toFixed(qtyDec));
      if (tooSmall(q0, tp0, cfg) || tooSmall(q1, tp1, cfg) || tooSmall(q2, tp2, cfg)) {
        throw new Error('hand loop: merged ladder legs are not modelled');
      }
      stopQty = Number((units * lot).toFixed(qtyDec));
      stopFrom = i + 1;
    }

    // --- the kernel feeds candle i: realized volatility of the one-minute returns ---
    const r = i === 0 ? 0 : close[i]! / close[i - 1]! - 1;
    const rOld = ring[slot]!;
    ring[slot] = r;
    slot = slot + 1 === PERIOD ? 0 : slot + 1;
    if (i > PERIOD) {
      const dNew = r - shift;
      const dOld = rOld - shift;
      s1 += dNew - dOld;
      s2 += (dNew - dOld) * (dNew + dOld);
      if (s2 > peak) peak = s2;
      let m2 = s2 - s1 * s1 * invN;
      if (++since === RESYNC_EVERY || peak > CANCELLATION_LIMIT * m2) {
        resync(close, i, scratch);
        shift = scratch[0]!;
        s1 = scratch[1]!;
        s2 = peak = scratch[2]!;
        since = 0;
        m2 = s2 - s1 * s1 * invN;
      }
      const variance = m2 * invN;
      sd = variance > 0 ? Math.sqrt(variance) : 0;
    } else if (i === PERIOD) {
      resync(close, i, scratch);
      shift = scratch[0]!;
      s1 = scratch[1]!;
      s2 = peak = scratch[2]!;
      since = 0;
      const variance = (s2 - s1 * s1 * invN) * invN;
      sd = variance > 0 ? Math.sqrt(variance) : 0;
    }

    // --- the 60 s cycle at this close, after the candle: evaluates candle i (once), entries only when flat ---
    if (dir === 0 && pendingFrom < 0 && i >= PERIOD) {
      const k = i;
      const m = close[k]! / close[k - PERIOD]! - 1;
      const want = m > 0.01 ? 1 : m < -0.01 ? -1 : 0;
      if (want !== 0 && !(lastClosedAt + cfg.cooldownMs - t > 0)) {
        if (!(cfg.initialBalance + realizedClosed > cfg.notional)) throw new Error('hand loop: equity below one notional is not modelled');
        const qty = floorToStep(cfg.notional / close[k]!, lot, qtyDec);
        if (qty >= cfg.minQty && qty * close[k]! >= cfg.minNotional && i + 1 < n) {
          pendingFrom = i + 1;
          pendingDir = want;
          pendingQty = qty;
        }
      }
    }
  }
  return trades;
}

/** Re-sums the window of the `PERIOD` returns ending at close `i`, oldest first (RollingStdDev.resync). */
function resync(close: Float64Array, i: number, out: Float64Array): void {
  const from = i - PERIOD + 1;
  const first = close[from]! / close[from - 1]! - 1;
  let flat = true;
  let sum = 0;
  for (let k = from; k <= i; k++) {
    const v = close[k]! / close[k - 1]! - 1;
    sum += v;
    if (v !== first) flat = false;
  }
  if (flat) {
    out[0] = first;
    out[1] = 0;
    out[2] = 0;
    return;
  }
  const shift = sum / PERIOD;
  let s1 = 0;
  let s2 = 0;
  for (let k = from; k <= i; k++) {
    const d = close[k]! / close[k - 1]! - 1 - shift;
    s1 += d;
    s2 += d * d;
  }
  out[0] = shift;
  out[1] = s1;
  out[2] = s2;
}

function tooSmall(q: number, px: number, cfg: HandLoopConfig): boolean {
  return q < cfg.minQty * (1 - 1e-9) || q * px < cfg.minNotional * (1 - 1e-9);
}

function decimalsOf(step: number): number {
  const s = step.toString();
  const e = s.indexOf('e-');
  if (e >= 0) return Number(s.slice(e + 2)) + (s.slice(0, e).split('.')[1]?.length ?? 0);
  return s.split('.')[1]?.length ?? 0;
}

function floorToStep(value: number, step: number, dec: number): number {
  return Number((Math.floor(value / step + 1e-9) * step).toFixed(dec));
}

function roundToStep(value: number, step: number, dec: number): number {
  return Number((Math.round(value / step) * step).toFixed(dec));
}

/** A level `distance` above (`up`) or below the entry on the tick grid, never on or across the entry. */
function awayFromEntry(entry: number, distance: number, up: boolean, tick: number, dec: number): number {
  let price = roundToStep(up ? entry * (1 + distance) : entry * (1 - distance), tick, dec);
  if (up && price - entry < tick * 1e-6) price = roundToStep((Math.floor(entry / tick + 1e-6) + 1) * tick, tick, dec);
  if (!up && entry - price < tick * 1e-6) price = roundToStep((Math.ceil(entry / tick - 1e-6) - 1) * tick, tick, dec);
  return price;
}
