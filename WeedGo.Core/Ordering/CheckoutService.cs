using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Compliance;
using WeedGo.Core.Data;
using WeedGo.Core.Inventory;
using WeedGo.Core.Live;
using WeedGo.Core.Pricing;
using WeedGo.Core.Tenancy;

namespace WeedGo.Core.Ordering;

public sealed record CustomerDetails(string Name, string? Email, string? Phone, DateOnly? BirthDate);

/// <summary>A running checkout: the stock held until <paramref name="ExpiresAt"/>, what it costs, and the choices it offers.
/// <paramref name="PickupPricing"/> and <paramref name="DeliveryPricing"/> (null when delivery is not available) are the
/// promotion engine's answers for each fulfilment (delivery-fee discounts and fulfilment-targeted promotions differ); the
/// order is priced again at submit.</summary>
public sealed record CheckoutSession(
    Guid CheckoutId, string OrderNumber, DateTimeOffset ExpiresAt, Guid StoreId, string StoreName, string StoreAddress, string TimeZoneId,
    CartView Cart, bool PickupEnabled, IReadOnlyList<DateTimeOffset> PickupSlots, DeliveryQuote Delivery, CustomerDetails Customer,
    decimal TaxRate, bool CardTestMode, PricingResult? PickupPricing = null, PricingResult? DeliveryPricing = null)
{
    /// <summary>The engine's answer for the chosen fulfilment.</summary>
    public PricingResult? PricingFor(Fulfilment fulfilment) => fulfilment == Fulfilment.Delivery ? DeliveryPricing : PickupPricing;

    /// <summary>Totals for the chosen fulfilment as the order will be priced (goods after promotions, fee after its discount).</summary>
    public Totals TotalsFor(Fulfilment fulfilment)
    {
        var pricing = PricingFor(fulfilment);
        var lines = Cart.Lines.Select(l => new PricedLine(l.ProductId, l.Quantity, l.UnitPrice ?? 0, pricing?.Line(l.ProductId)?.Discount ?? 0m));
        var fee = fulfilment == Fulfilment.Delivery && Delivery.Available ? pricing?.ChargedDeliveryFee ?? Delivery.Fee : 0m;
        return OrderMath.Compute(lines, fee, TaxRate);
    }
}

/// <summary>What the customer submits. <paramref name="AttemptKey"/> identifies this submit (the same key sent twice is one
/// payment attempt); the checkout id makes the order itself idempotent.</summary>
public sealed record PlaceOrderRequest(
    Guid CheckoutId, Fulfilment Fulfilment, DateTimeOffset? PickupAt, DeliveryAddress? Address, string Name, string? Email, string? Phone,
    DateOnly? BirthDate, PaymentMethod Payment, CardDetails? Card, string? Notes, string AttemptKey);

/// <summary>A delivery quote for one address during checkout, with the promotions priced for its fee.</summary>
public sealed record DeliveryChoice(DeliveryQuote Quote, PricingResult? Pricing, decimal Subtotal)
{
    /// <summary>Null when the order can be delivered there; else the sentence that says why not (outside every zone, under
    /// the zone's minimum, store closed…).</summary>
    public string? Problem => !Quote.Available ? Quote.Reason
        : Subtotal < Quote.MinimumOrder ? $"Delivery to this address needs an order of at least {OrderMath.Money(Quote.MinimumOrder)} before tax (yours is {OrderMath.Money(Subtotal)})."
        : null;
}

public sealed record PlacedOrder(Guid OrderId, string Number, bool AlreadyPlaced);

/// <summary>
/// Checkout: holds the cart's stock for 15 minutes when it starts (see <see cref="Reservations"/>), and at submit re-checks
/// everything on the server (store hours, age, purchase limit, prices, stock), takes the payment and turns the hold into
/// the order, exactly once per checkout however often the submit arrives.
/// </summary>
public sealed class CheckoutService(
    IDbContextFactory<WeedGoDbContext> contexts, ICurrentUser user, CartService carts, StockLedger ledger, IPaymentGateway gateway,
    IDeliveryQuoter delivery, IOptions<OrderingOptions> options, TimeProvider clock, ILiveEvents live, ILogger<CheckoutService> logger,
    RateLimiting.IOperationLimiter? limiter = null)
{
    private readonly OrderingOptions _rules = options.Value;

    /// <summary>Starts (or refreshes) the checkout of the shopper's cart at <paramref name="storeId"/>: validates it and holds
    /// its stock until 15 minutes from now.</summary>
    public async Task<Result<CheckoutSession>> StartAsync(Guid storeId, CancellationToken ct = default)
    {
        if (user.UserId is not { } userId)
        {
            return OrderingErrors.SignInToCheckout();
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var store = await db.Stores.AsNoTracking().FirstOrDefaultAsync(s => s.Id == storeId, ct);
        if (store is null || !store.IsActive)
        {
            return Error.NotFound("That store");
        }
        var cartEntity = await carts.FindCartAsync(db, storeId, ct);
        var cart = await carts.ViewAsync(db, storeId, cartEntity, ct);
        if (cart.IsEmpty)
        {
            return Error.Validation("Your cart is empty.");
        }
        if (cart.Meter.IsOver)
        {
            return OrderingErrors.OverLimit($"This order holds {cart.Meter.Describe()} of dried-cannabis equivalent; the legal limit is {PurchaseLimit.Grams(_rules.PurchaseLimitGrams)} per order. Remove some items to continue.");
        }
        if (cart.Lines.FirstOrDefault(l => l.UnitPrice is null) is { } unpriced)
        {
            return Error.Validation(unpriced.Problem!);
        }
        var customer = await CustomerAsync(db, userId, ct);
        if (customer.BirthDate is { } born && !LegalAge.IsOfAge(born, Today(store), _rules.MinimumAgeFor(store.Address.Province)))
        {
            return OrderingErrors.UnderAge(_rules.MinimumAgeFor(store.Address.Province));
        }

        var now = clock.GetUtcNow();
        var wanted = cart.Lines.Select(l => (l.ProductId, l.Quantity)).OrderBy(l => l.ProductId).ToList();
        var running = await db.Checkouts.Include(c => c.Holds)
            .Where(c => c.CartId == cart.CartId && c.Status == CheckoutStatus.Holding).ToListAsync(ct);
        Checkout? checkout = null;
        foreach (var old in running)
        {
            var same = old.ExpiresAt > now && old.Holds.Select(h => (h.ProductId, h.Quantity)).OrderBy(h => h.ProductId).SequenceEqual(wanted);
            if (same && checkout is null)
            {
                checkout = old; // the same cart is still held: just extend the hold
                continue;
            }
            await ReleaseAsync(old.Id, CheckoutStatus.Released, ct);
        }
        if (checkout is not null)
        {
            checkout.ExpiresAt = now + _rules.HoldFor;
            await db.SaveChangesAsync(ct);
        }
        else
        {
            var held = await HoldAsync(db, store, cartEntity!.Id, userId, wanted, now, ct);
            if (!held.Succeeded)
            {
                return held.Error!;
            }
            checkout = held.Value;
        }
        cart = await carts.ViewAsync(db, storeId, cartEntity, ct);
        var quote = await delivery.QuoteAsync(db, storeId, null, cart.Subtotal, now, ct);
        var pickupPricing = (await carts.ViewAsync(db, storeId, cartEntity, Fulfilment.Pickup, 0m, ct)).Pricing;
        var deliveryPricing = quote.Available ? (await carts.ViewAsync(db, storeId, cartEntity, Fulfilment.Delivery, quote.Fee, ct)).Pricing : null;
        return new CheckoutSession(checkout.Id, checkout.OrderNumber, checkout.ExpiresAt, store.Id, store.Name, store.Address.ToString(), store.TimeZoneId,
            cart, store.PickupEnabled, Slots(store, now), quote, customer, _rules.TaxRate, gateway.IsTestMode, pickupPricing, deliveryPricing);
    }

    /// <summary>The delivery terms for an address (its pin) in a running checkout: the zone that contains it decides fee,
    /// minimum and ETA, and the promotions are priced for that fee. Outside every zone (or with the store closed) the quote
    /// says why not. The order is quoted again at submit; this is what the checkout page shows as the pin moves.</summary>
    public async Task<Result<DeliveryChoice>> QuoteDeliveryAsync(Guid checkoutId, DeliveryAddress address, CancellationToken ct = default)
    {
        if (user.UserId is not { } userId)
        {
            return OrderingErrors.SignInToCheckout();
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var checkout = await db.Checkouts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == checkoutId && c.UserId == userId, ct);
        if (checkout is null || checkout.Status != CheckoutStatus.Holding)
        {
            return Error.NotFound("That checkout");
        }
        var cartEntity = await carts.FindCartAsync(db, checkout.StoreId, ct);
        var cart = await carts.ViewAsync(db, checkout.StoreId, cartEntity, ct);
        var quote = await delivery.QuoteAsync(db, checkout.StoreId, address, cart.Subtotal, clock.GetUtcNow(), ct);
        var pricing = quote.Available && cartEntity is not null
            ? (await carts.ViewAsync(db, checkout.StoreId, cartEntity, Fulfilment.Delivery, quote.Fee, ct)).Pricing
            : null;
        return new DeliveryChoice(quote, pricing, cart.Subtotal);
    }

    private async Task<Result<Checkout>> HoldAsync(WeedGoDbContext db, Store store, Guid cartId, Guid userId, List<(Guid ProductId, int Quantity)> lines,
        DateTimeOffset now, CancellationToken ct)
    {
        var number = "WG-" + await db.Database.SqlQuery<long>($"SELECT nextval('order_numbers') AS \"Value\"").SingleAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var checkout = new Checkout
        {
            TenantId = store.TenantId, StoreId = store.Id, CartId = cartId, UserId = userId, OrderNumber = number, Status = CheckoutStatus.Holding,
            ExpiresAt = now + _rules.HoldFor,
            Holds = lines.Select(l => new CheckoutHold { TenantId = store.TenantId, ProductId = l.ProductId, Quantity = l.Quantity }).ToList(),
        };
        db.Checkouts.Add(checkout);
        await db.SaveChangesAsync(ct);
        var held = await Reservations.ReserveAsync(db, store.TenantId, store.Id, store.Name, number, lines, userId, now, ct);
        if (!held.Succeeded)
        {
            await tx.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return held.Error!;
        }
        await tx.CommitAsync(ct);
        await Reservations.PublishAsync(live, store.TenantId, store.Id, held.Value, ct);
        return checkout;
    }

    /// <summary>Places the order of a running checkout. Safe to call twice: a checkout already placed returns its order.</summary>
    public async Task<Result<PlacedOrder>> PlaceOrderAsync(PlaceOrderRequest request, CancellationToken ct = default)
    {
        if (user.UserId is not { } userId)
        {
            return OrderingErrors.SignInToCheckout();
        }
        if (Validate(request) is { } invalid)
        {
            return invalid;
        }
        // Each submit is a checkout attempt for the rate limits (card testing is the abuse this stops).
        if (limiter is not null && await limiter.TryAcquireAsync(RateLimiting.RateOperations.Checkout, ct) is { Allowed: false } refused)
        {
            return RateLimiting.RateLimitErrors.From(refused);
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // The row lock serialises double clicks and retries: the second submit waits here, then finds the order placed.
        var checkout = await db.Checkouts.FromSql($"SELECT * FROM checkouts WHERE id = {request.CheckoutId} FOR UPDATE")
            .Include(c => c.Holds).FirstOrDefaultAsync(ct);
        if (checkout is null || checkout.UserId != userId)
        {
            return Error.NotFound("That checkout");
        }
        if (checkout.Status == CheckoutStatus.Placed && checkout.OrderId is { } placedId)
        {
            return new PlacedOrder(placedId, checkout.OrderNumber, AlreadyPlaced: true);
        }
        var now = clock.GetUtcNow();
        if (checkout.Status != CheckoutStatus.Holding || checkout.ExpiresAt <= now)
        {
            await tx.RollbackAsync(ct);
            if (checkout.Status == CheckoutStatus.Holding)
            {
                await ReleaseAsync(checkout.Id, CheckoutStatus.Expired, ct);
            }
            return OrderingErrors.HoldExpired();
        }
        var store = await db.Stores.AsNoTracking().FirstAsync(s => s.Id == checkout.StoreId, ct);

        // The cart must still be what is held.
        var cartLines = await db.CartLines.AsNoTracking().Where(l => l.CartId == checkout.CartId).ToListAsync(ct);
        if (!cartLines.Select(l => (l.ProductId, l.Quantity)).OrderBy(l => l.ProductId)
                .SequenceEqual(checkout.Holds.Select(h => (h.ProductId, h.Quantity)).OrderBy(h => h.ProductId)))
        {
            return OrderingErrors.CartChanged();
        }

        // Store rules: the store's own hours decide pickup times; delivery needs the store open and a quote for the address.
        decimal deliveryFee = 0;
        if (request.Fulfilment == Fulfilment.Pickup)
        {
            if (!store.PickupEnabled)
            {
                return OrderingErrors.StoreClosed($"{store.Name} is not taking pickup orders right now.");
            }
            if (request.PickupAt is not { } at || !PickupSlots.IsValid(store.Hours, store.TimeZoneId, now, at, _rules.PickupLeadTime, _rules.PickupSlot, _rules.PickupDays))
            {
                return OrderingErrors.StoreClosed($"{store.Name} is closed at that time or it is too soon. Choose a pickup time within its opening hours, at least {(int)_rules.PickupLeadTime.TotalMinutes} minutes from now.");
            }
        }

        // Age: the account's birth date decides; a customer without one gives it now (and it is kept).
        var profile = await db.Profiles.FirstOrDefaultAsync(p => p.UserId == userId, ct);
        var born = profile?.BirthDate ?? request.BirthDate;
        if (born is null)
        {
            return Error.Validation("Enter your date of birth: we must confirm you are of legal age.");
        }
        if (!LegalAge.IsOfAge(born.Value, Today(store), _rules.MinimumAgeFor(store.Address.Province)))
        {
            return OrderingErrors.UnderAge(_rules.MinimumAgeFor(store.Address.Province));
        }

        // Reprice on the server from today's shelf prices; re-check the limit with the catalogue's equivalencies.
        var ids = checkout.Holds.Select(h => h.ProductId).ToList();
        var products = await db.Products.AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => new
            {
                p.Id, p.Sku, p.ProductName, p.Brand, p.Size, p.Category, p.UnitPrice, p.IsCannabis, p.DriedFlowerEquivalency,
                Stock = db.Inventory.Where(i => i.StoreId == store.Id && i.ProductId == p.Id).Select(i => new { i.RetailPriceOverride, i.UnitCost }).FirstOrDefault(),
            })
            .ToDictionaryAsync(p => p.Id, ct);
        var lines = new List<OrderLine>();
        foreach (var hold in checkout.Holds.OrderBy(h => h.CreatedAt))
        {
            var p = products[hold.ProductId];
            if (OrderMath.ShelfPrice(p.Stock?.RetailPriceOverride, p.UnitPrice) is not { } price)
            {
                return Error.Validation($"{p.ProductName} has no price at {store.Name}; remove it to continue.");
            }
            var priced = new PricedLine(p.Id, hold.Quantity, price);
            lines.Add(new OrderLine
            {
                TenantId = store.TenantId, ProductId = p.Id, Sku = p.Sku, ProductName = p.ProductName, Brand = p.Brand, Size = p.Size,
                Quantity = hold.Quantity, UnitPrice = price, LineTotal = priced.LineTotal, EquivalencyPerUnit = p.IsCannabis ? p.DriedFlowerEquivalency : 0m,
            });
        }
        var meter = PurchaseLimit.Measure(lines.Select(l => new LimitLine(l.ProductId, l.Quantity, l.EquivalencyPerUnit)), _rules.PurchaseLimitGrams);
        if (meter.IsOver)
        {
            return OrderingErrors.OverLimit($"This order holds {meter.Describe()} of dried-cannabis equivalent; the legal limit is {PurchaseLimit.Grams(_rules.PurchaseLimitGrams)} per order.");
        }
        var subtotal = lines.Sum(l => l.LineTotal);
        if (request.Fulfilment == Fulfilment.Delivery)
        {
            var quote = await delivery.QuoteAsync(db, store.Id, request.Address, subtotal, now, ct);
            if (!quote.Available)
            {
                return OrderingErrors.StoreClosed(quote.Reason ?? "Delivery is not available for this address.");
            }
            if (subtotal < quote.MinimumOrder)
            {
                return Error.Validation($"Delivery to this address needs an order of at least {OrderMath.Money(quote.MinimumOrder)} before tax.");
            }
            deliveryFee = quote.Fee;
        }

        // Promotions, priced again on the server for the chosen fulfilment, now, with the cart's code.
        var code = await db.Carts.AsNoTracking().Where(c => c.Id == checkout.CartId).Select(c => c.PromotionCode).FirstOrDefaultAsync(ct);
        var pricing = await PricingService.PriceAsync(db, store.Id,
            lines.Select(l => new PricingLine(l.ProductId, products[l.ProductId].Category, l.Brand, products[l.ProductId].IsCannabis, l.Quantity, l.UnitPrice,
                products[l.ProductId].Stock?.UnitCost)).ToList(),
            userId, request.Fulfilment, deliveryFee, code is null ? [] : [code], now, ct);
        foreach (var line in lines)
        {
            if (pricing.Line(line.ProductId) is { } priced)
            {
                line.LineDiscount = priced.Discount;
                line.LineTotal = priced.Total;
            }
        }
        // Usage limits hold under concurrency: each promotion's counter is raised by a conditional update in this transaction
        // (promotion order, so two checkouts never wait on each other crosswise). One that ran out since the customer saw the
        // price fails the order with a clear message rather than charging a different total than the one reviewed.
        if (await ClaimPromotionsAsync(db, store.TenantId, userId, pricing.Applied, now, ct) is { } usedUp)
        {
            return usedUp;
        }
        var totals = OrderMath.Compute(lines.Select(l => new PricedLine(l.ProductId, l.Quantity, l.UnitPrice, l.LineDiscount)), pricing.ChargedDeliveryFee,
            _rules.TaxRate);

        // Payment: a card is charged now (the same attempt key is one charge); the others are collected at handover.
        var payment = new PaymentTransaction
        {
            TenantId = store.TenantId, StoreId = store.Id, CheckoutId = checkout.Id, Kind = PaymentKind.Charge, Method = request.Payment,
            Amount = totals.Total, IdempotencyKey = $"{checkout.Id:N}:{request.AttemptKey}", UserId = userId, Provider = "in-person",
            Status = PaymentAttemptStatus.Pending,
        };
        if (request.Payment == PaymentMethod.Card)
        {
            var charged = await ChargeAsync(payment, request.Card!, ct);
            if (!charged.Succeeded)
            {
                return charged.Error!;
            }
        }

        var order = new Order
        {
            TenantId = store.TenantId, StoreId = store.Id, Number = checkout.OrderNumber, CustomerId = userId, CustomerName = request.Name.Trim(),
            CustomerEmail = request.Email?.Trim(), CustomerPhone = request.Phone?.Trim(), Source = OrderSource.Online, Fulfilment = request.Fulfilment,
            PickupAt = request.Fulfilment == Fulfilment.Pickup ? request.PickupAt?.ToUniversalTime() : null,
            DeliveryAddress = request.Fulfilment == Fulfilment.Delivery ? request.Address : null,
            Status = OrderStatus.Placed, PaymentMethod = request.Payment,
            PaymentStatus = request.Payment == PaymentMethod.Card ? PaymentStatus.Paid : PaymentStatus.Due,
            Subtotal = totals.Subtotal, Discount = totals.Discount, DeliveryFee = totals.DeliveryFee, DeliveryDiscount = pricing.DeliveryDiscount,
            Tax = totals.Tax, Total = totals.Total,
            EquivalencyGrams = meter.UsedGrams, CheckoutId = checkout.Id, Notes = string.IsNullOrWhiteSpace(request.Notes) ? null : request.Notes.Trim(),
            PlacedAt = now, Lines = lines,
            History = [new OrderStatusChange { TenantId = store.TenantId, To = OrderStatus.Placed, UserId = userId, OccurredAt = now }],
        };
        db.Orders.Add(order);
        foreach (var applied in pricing.Applied)
        {
            db.PromotionUsages.Add(new PromotionUsage
            {
                TenantId = store.TenantId, PromotionId = applied.PromotionId, OrderId = order.Id, StoreId = store.Id, CustomerId = userId,
                DiscountAmount = applied.Total, UsedAt = now,
            });
        }
        payment.OrderId = order.Id;
        if (payment.Status != PaymentAttemptStatus.Approved)
        {
            db.Payments.Add(payment);
        }
        checkout.Status = CheckoutStatus.Placed;
        checkout.OrderId = order.Id;
        if (profile is not null && profile.BirthDate is null)
        {
            profile.BirthDate = born;
        }
        await db.SaveChangesAsync(ct);
        if (payment.Status == PaymentAttemptStatus.Approved)
        {
            // The approved charge was recorded on its own; attach it to the order in this transaction.
            await db.Payments.Where(p => p.Id == payment.Id).ExecuteUpdateAsync(u => u.SetProperty(p => p.OrderId, order.Id), ct);
        }
        await db.CartLines.Where(l => l.CartId == checkout.CartId).ExecuteDeleteAsync(ct);
        await db.Carts.Where(c => c.Id == checkout.CartId).ExecuteUpdateAsync(u => u.SetProperty(c => c.PromotionCode, (string?)null), ct);
        await tx.CommitAsync(ct);
        // Another tab may have started a second checkout of the same cart: its hold is no longer needed.
        var others = await db.Checkouts.Where(c => c.CartId == checkout.CartId && c.Status == CheckoutStatus.Holding).Select(c => c.Id).ToListAsync(ct);
        foreach (var other in others)
        {
            await ReleaseAsync(other, CheckoutStatus.Released, ct);
        }
        await PublishAsync(new OrderChanged(order.TenantId, order.StoreId, order.Id, order.Number, order.Status.ToString(), userId, IsNew: true), ct);
        // The cart was emptied into the order: open cart badges and cart pages show it.
        await PublishAsync(new CartChanged(order.TenantId, order.StoreId, checkout.CartId, userId, null), ct);
        return new PlacedOrder(order.Id, order.Number, AlreadyPlaced: false);
    }

    /// <summary>Raises the counters of the applied promotions inside the order's transaction: overall
    /// (<c>UPDATE promotions SET used_count = used_count + 1 WHERE used_count &lt; usage_limit</c>) and this customer's
    /// (an upsert that only raises <c>used</c> below the per-customer limit). Null when every claim held; else the error
    /// (the caller's transaction is rolled back, so no counter moves).</summary>
    private static async Task<Error?> ClaimPromotionsAsync(WeedGoDbContext db, Guid tenantId, Guid customerId, IReadOnlyList<AppliedPromotion> applied,
        DateTimeOffset now, CancellationToken ct)
    {
        foreach (var a in applied.OrderBy(a => a.PromotionId))
        {
            var raised = await db.Database.ExecuteSqlAsync($"""
                UPDATE promotions SET used_count = used_count + 1, updated_at = {now}
                WHERE id = {a.PromotionId} AND tenant_id = {tenantId} AND enabled AND (usage_limit IS NULL OR used_count < usage_limit)
                """, ct);
            if (raised == 0)
            {
                return PromotionUsedUp(a.Name);
            }
            var perCustomer = await db.Promotions.AsNoTracking().Where(p => p.Id == a.PromotionId).Select(p => p.PerCustomerLimit).FirstAsync(ct) ?? int.MaxValue;
            var mine = await db.Database.ExecuteSqlAsync($"""
                INSERT INTO promotion_customer_counts AS c (id, tenant_id, promotion_id, customer_id, used, created_at, updated_at)
                VALUES ({Guid.CreateVersion7()}, {tenantId}, {a.PromotionId}, {customerId}, 1, {now}, {now})
                ON CONFLICT (tenant_id, promotion_id, customer_id) DO UPDATE SET used = c.used + 1, updated_at = {now}
                WHERE c.used < {perCustomer}
                """, ct);
            if (mine == 0)
            {
                return new Error("promotion_used_up", $"You have already used \"{a.Name}\" as often as it allows. Review your cart and place the order again.",
                    ErrorKind.Conflict);
            }
        }
        return null;
    }

    private static Error PromotionUsedUp(string name) => new("promotion_used_up",
        $"\"{name}\" has just been used up by other customers, so your total would change. Review your cart and place the order again.",
        ErrorKind.Conflict);

    /// <summary>Charges the card and records the attempt on its own (a decline must stay recorded even though no order is
    /// created). A repeated attempt key returns the first answer without charging again.</summary>
    private async Task<Result> ChargeAsync(PaymentTransaction payment, CardDetails card, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var earlier = await db.Payments.AsNoTracking().FirstOrDefaultAsync(p => p.IdempotencyKey == payment.IdempotencyKey, ct);
        if (earlier is null)
        {
            var answer = await gateway.ChargeAsync(payment.Amount, payment.Currency, card, payment.IdempotencyKey, ct);
            payment.Provider = gateway.Name;
            payment.ProviderReference = answer.Reference;
            payment.CardBrand = card.Brand;
            payment.CardLast4 = card.Last4;
            payment.Message = answer.Message;
            payment.Status = answer.Outcome switch
            {
                GatewayOutcome.Approved => PaymentAttemptStatus.Approved,
                GatewayOutcome.Declined => PaymentAttemptStatus.Declined,
                _ => PaymentAttemptStatus.Failed,
            };
            db.Payments.Add(payment);
            await db.SaveChangesAsync(ct);
            earlier = payment;
        }
        else
        {
            payment.Id = earlier.Id;
            payment.Status = earlier.Status;
        }
        return earlier.Status switch
        {
            PaymentAttemptStatus.Approved when earlier.Amount == payment.Amount => Result.Ok(),
            PaymentAttemptStatus.Approved => OrderingErrors.PaymentFailed("The order total changed after this card was charged. Please submit again."),
            PaymentAttemptStatus.Declined => OrderingErrors.PaymentDeclined(earlier.Message ?? "the card was declined."),
            _ => OrderingErrors.PaymentFailed(earlier.Message ?? "The payment could not be processed. Nothing was charged; please try again."),
        };
    }

    /// <summary>Ends a checkout's hold (replaced or abandoned) and puts its stock back, unless it was placed meanwhile.</summary>
    private async Task ReleaseAsync(Guid checkoutId, CheckoutStatus outcome, CancellationToken ct)
    {
        var result = await HoldSweeper.ReleaseCheckoutAsync(ledger, checkoutId, outcome, ct);
        if (!result.Succeeded)
        {
            logger.LogWarning("Releasing checkout {Checkout} failed: {Reason}", checkoutId, result.Error!.Message);
        }
    }

    /// <summary>The customer leaves checkout (back to the cart): the hold ends at once.</summary>
    public async Task<Result> CancelAsync(Guid checkoutId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var mine = await db.Checkouts.AnyAsync(c => c.Id == checkoutId && c.UserId == user.UserId && user.UserId != null, ct);
        if (!mine)
        {
            return Error.NotFound("That checkout");
        }
        await ReleaseAsync(checkoutId, CheckoutStatus.Released, ct);
        return Result.Ok();
    }

    private static Error? Validate(PlaceOrderRequest r)
    {
        if (string.IsNullOrWhiteSpace(r.AttemptKey) || r.AttemptKey.Length > 60)
        {
            return Error.Validation("The submit carried no valid attempt key; reload the page and try again.");
        }
        if (string.IsNullOrWhiteSpace(r.Name))
        {
            return Error.Validation("Enter the name the order is for (it is checked against ID at handover).");
        }
        if (string.IsNullOrWhiteSpace(r.Email) && string.IsNullOrWhiteSpace(r.Phone))
        {
            return Error.Validation("Enter an email address or a phone number so the store can reach you about the order.");
        }
        if (r.Fulfilment == Fulfilment.Delivery)
        {
            if (r.Address is null || string.IsNullOrWhiteSpace(r.Address.Line1) || string.IsNullOrWhiteSpace(r.Address.City) || string.IsNullOrWhiteSpace(r.Address.PostalCode))
            {
                return Error.Validation("Enter the delivery address: street, city and postal code.");
            }
            if (!System.Text.RegularExpressions.Regex.IsMatch(r.Address.PostalCode.Trim(), "^[A-Za-z]\\d[A-Za-z][ -]?\\d[A-Za-z]\\d$"))
            {
                return Error.Validation("Enter a Canadian postal code like M5V 2T6.");
            }
            if (r.Payment == PaymentMethod.PayAtPickup)
            {
                return Error.Validation("Pay at pickup is for pickup orders; choose pay on delivery or card.");
            }
        }
        if (r.Fulfilment == Fulfilment.Pickup && r.Payment == PaymentMethod.PayOnDelivery)
        {
            return Error.Validation("Pay on delivery is for delivery orders; choose pay at pickup or card.");
        }
        if (r.Payment == PaymentMethod.Card && r.Card is null)
        {
            return Error.Validation("Enter the card details.");
        }
        return null;
    }

    private IReadOnlyList<DateTimeOffset> Slots(Store store, DateTimeOffset now) =>
        store.PickupEnabled ? PickupSlots.For(store.Hours, store.TimeZoneId, now, _rules.PickupLeadTime, _rules.PickupSlot, _rules.PickupDays) : [];

    private DateOnly Today(Store store) => DateOnly.FromDateTime(StoreHours.LocalTime(store.TimeZoneId, clock.GetUtcNow()));

    private async Task<CustomerDetails> CustomerAsync(WeedGoDbContext db, Guid userId, CancellationToken ct)
    {
        var row = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.DisplayName, u.Email, u.PhoneNumber, u.Profile }).FirstOrDefaultAsync(ct);
        var name = row?.Profile is { FirstName: { Length: > 0 } first } p ? $"{first} {p.LastName}".Trim() : row?.DisplayName ?? "";
        return new CustomerDetails(name, row?.Email, row?.Profile?.Phone ?? row?.PhoneNumber, row?.Profile?.BirthDate);
    }

    private async Task PublishAsync(LiveEvent e, CancellationToken ct)
    {
        try
        {
            await live.PublishAsync(e, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Publishing {Event} failed", e.Type);
        }
    }
}
