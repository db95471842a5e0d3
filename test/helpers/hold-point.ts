/**
 * A place a test holds one operation at (a store call, say) while others run: `hold()` waits there
 * until `release()`, and `reached` resolves once something waits. Races between requests become
 * an order the test writes down instead of timings it hopes for.
 */
export class HoldPoint {
  readonly reached: Promise<void>;
  private arrive!: () => void;
  private readonly released: Promise<void>;
  private releaseAll!: () => void;

  constructor() {
    this.reached = new Promise((resolve) => (this.arrive = resolve));
    this.released = new Promise((resolve) => (this.releaseAll = resolve));
  }

  hold(): Promise<void> {
    this.arrive();
    return this.released;
  }

  release(): void {
    this.releaseAll();
  }
}
