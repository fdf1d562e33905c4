package shop

import "strings"

// Item is a product in the catalog.
type Item struct {
	SKU      string
	Category string
	Tags     []string
}

// Catalog indexes items by category and SKU.
type Catalog struct {
	byCategory map[string]map[string]Item
	prices     map[string]int
	aliases    map[string]string
}

// NewCatalog returns an empty catalog.
func NewCatalog() *Catalog {
	return &Catalog{
		byCategory: map[string]map[string]Item{},
		prices:     map[string]int{},
	}
}

// Add files an item under its category. The inner map may not exist yet:
// "assignment to entry in nil map".
func (c *Catalog) Add(it Item) {
	category := it.Category
	c.byCategory[category][it.SKU] = it
}

// Alias records another name for a SKU. aliases is never made anywhere.
func (c *Catalog) Alias(name, sku string) {
	c.aliases[name] = sku
}

// Remove drops a price. The presence check is redundant: delete of a missing
// key (or on a nil map) is a no-op.
func (c *Catalog) Remove(sku string) {
	if _, ok := c.prices[sku]; ok {
		delete(c.prices, sku)
	}
}

// NormalizeSKUs re-keys prices in lower case while ranging over them: the new
// entries may or may not be visited by the same loop.
func (c *Catalog) NormalizeSKUs() {
	for sku, price := range c.prices {
		delete(c.prices, sku)
		c.prices[strings.ToLower(sku)] = price
	}
}

// CountTags counts tag use. counts is a nil map: the first write panics.
func CountTags(items []Item) map[string]int {
	var counts map[string]int
	for _, it := range items {
		for _, t := range it.Tags {
			counts[t]++
		}
	}
	return counts
}
