import type { CandleColumns } from '@quantum-trader/core';

/**
 * The reference a backtest engine is measured against: ONE plain loop over Float64Array columns that computes the
 * same signals and reproduces the same trades as the full engine on the bench configuration — 24 h momentum (ROC over
 * 1440 one-minute closes, ±1 %), 24 h realized volatility for the take-profit regime, one linear symbol at 1x,
 * fixed notional, a cooldown, market entries, the STANDARD_LADDER (30/30/40 % take profits at the volatility-regime
 * levels, a stop on what remains, re-sized after each take profit), no slippage, the conservative intrabar path, maker
 * and taker fees, and the engine's exact timing (a signal on candle i−1 is seen by the cycle at the close of candle i
 * and fills at the open of candle i+1; exit legs work from the candle after the fill).
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
  let legsFrom = 0; // index of the first candle the exit legs work on
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

  for (let i = 0; i < n; i++) {
    const t = ts[i]! + MINUTE; // this candle's close time: the cycle runs first, then the candle is matched and fed

    // --- the 60 s cycle: evaluates candle i-1 (each candle exactly once), entries only when flat ---
    if (i >= 1 + PERIOD && dir === 0 && pendingFrom < 0) {
      const k = i - 1;
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

    // --- the venue matches candle i ---
    if (dir !== 0 && i >= legsFrom) {
      const o = open[i]!;
      const h = high[i]!;
      const l = low[i]!;
      const long = dir > 0;
      // conservative path: the adverse extreme first; ti is the distance travelled to the first extreme
      const t1 = long ? o - l : h - o;
      const ex1 = long ? l : h;
      const ex2 = long ? h : l;
      let closedNow = false;
      let stopLive = i >= stopFrom;
      // take profits the open already went through fill first, at the open, in ladder order
      for (let k = filled; k < 3 && !closedNow; k++) {
        const L = k === 0 ? tp0 : k === 1 ? tp1 : tp2;
        if (long ? o >= L : o <= L) {
          closedNow = fillTakeProfit(k, o, o === L, t);
          stopLive = false; // the stop is replaced; the replacement works from the next candle
        } else break;
      }
      if (!closedNow && stopLive && (long ? ex1 <= stopPx : ex1 >= stopPx)) {
        // the stop, reached on the way to the adverse extreme (or at a gapped open)
        const px = long ? (o <= stopPx ? o : stopPx) : o >= stopPx ? o : stopPx;
        const q = stopQty < venueQty ? stopQty : venueQty;
        closedNow = fill(q, px, cfg.takerFee, t, 'stop_loss');
      }
      if (!closedNow) {
        // take profits reached on the way to the favourable extreme, in price (= ladder) order
        for (let k = filled; k < 3 && !closedNow; k++) {
          const L = k === 0 ? tp0 : k === 1 ? tp1 : tp2;
          if (long ? ex2 >= L : ex2 <= L) closedNow = fillTakeProfit(k, L, true, t);
          else break;
        }
      }
      void t1;
    }
    if (pendingFrom === i) {
      // the entry: a market order at the open, taker fee; the ladder is built with the volatility as of candle i-1
      const px = open[i]!;
      const q = pendingQty;
      const fee = q * px * cfg.takerFee;
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
      const vol = Number.isNaN(sd) ? Number.NaN : sd * volScale;
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
      if (tooSmall(q0, tp0) || tooSmall(q1, tp1) || tooSmall(q2, tp2)) throw new Error('hand loop: merged ladder legs are not modelled');
      stopQty = Number((units * lot).toFixed(qtyDec));
      legsFrom = i + 1;
      stopFrom = i + 1;
    }

    // --- the kernel feeds candle i: realized volatility of the one-minute returns ---
    if (i >= 1) {
      const r = close[i]! / close[i - 1]! - 1;
      if (i > PERIOD) {
        const dNew = r - shift;
        const dOld = close[i - PERIOD]! / close[i - PERIOD - 1]! - 1 - shift;
        s1 += dNew - dOld;
        s2 += (dNew - dOld) * (dNew + dOld);
        if (s2 > peak) peak = s2;
        let m2 = s2 - s1 * s1 * invN;
        if (++since === RESYNC_EVERY || peak > CANCELLATION_LIMIT * m2) {
          resync(i);
          m2 = s2 - s1 * s1 * invN;
        }
        const variance = m2 * invN;
        sd = variance > 0 ? Math.sqrt(variance) : 0;
      } else if (i === PERIOD) {
        resync(i);
        const variance = (s2 - s1 * s1 * invN) * invN;
        sd = variance > 0 ? Math.sqrt(variance) : 0;
      }
    }
  }
  return trades;

  /** Re-sums the window of returns ending at close `i`, oldest first (RollingStdDev.resync). */
  function resync(i: number): void {
    since = 0;
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
      shift = first;
      s1 = 0;
      s2 = 0;
      peak = 0;
      return;
    }
    shift = sum / PERIOD;
    s1 = 0;
    s2 = 0;
    for (let k = from; k <= i; k++) {
      const d = close[k]! / close[k - 1]! - 1 - shift;
      s1 += d;
      s2 += d * d;
    }
    peak = s2;
  }

  function fillTakeProfit(k: number, px: number, maker: boolean, t: number): boolean {
    const want = k === 0 ? q0 : k === 1 ? q1 : q2;
    const q = want < venueQty ? want : venueQty;
    filled = k + 1;
    const closed = fill(q, px, maker ? cfg.makerFee : cfg.takerFee, t, `tp${k + 1}`);
    if (!closed) {
      // PositionChanged: the stop is re-sized to what remains and works from the next candle
      stopQty = floorToStep(Math.round(posQty * 1e12) / 1e12, lot, qtyDec);
      stopFrom = ((t - ts[0]!) / MINUTE) | 0;
    }
    return closed;
  }

  /** One reducing fill, booked as the portfolio books it; returns true when it closed the position. */
  function fill(q: number, px: number, rate: number, t: number, leg: string): boolean {
    const fee = q * px * rate;
    const closeQty = Math.min(posQty, q);
    const feeShare = q > 0 ? fee * (closeQty / q) : 0;
    pnl += (px - entryPx) * closeQty * dir - feeShare;
    fees += feeShare;
    exitNotional += px * closeQty;
    exitQty += closeQty;
    posQty = posQty - closeQty;
    const v = venueQty - q;
    venueQty = Math.round(v * qtyFactor) / qtyFactor;
    if (!(posQty <= 1e-12 * Math.max(1, maxQty))) return false;
    const rpnl = Math.round(pnl * 1e8) / 1e8;
    trades.push({
      side: dir > 0 ? 'long' : 'short',
      entryTs,
      entryPrice: entryPx,
      exitTs: t,
      exitPrice: exitQty > 0 ? exitNotional / exitQty : px,
      qty: maxQty,
      pnl: rpnl,
      fees: Math.round(fees * 1e8) / 1e8,
      exitReason: leg,
    });
    realizedClosed += pnl;
    lastClosedAt = t;
    dir = 0;
    return true;
  }

  function tooSmall(q: number, px: number): boolean {
    return q < cfg.minQty * (1 - 1e-9) || q * px < cfg.minNotional * (1 - 1e-9);
  }
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
