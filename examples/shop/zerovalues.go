package shop

import "fmt"

// Cart is a customer's basket.
type Cart struct {
	Owner string
	Lines []string
}

// Carts keeps open carts by id, and the display order of product lines.
type Carts struct {
	open  map[string]*Cart
	slots map[string]int
	order []string
}

// NewCarts returns an empty set of carts.
func NewCarts() *Carts {
	return &Carts{open: map[string]*Cart{}, slots: map[string]int{}}
}

// Slot gives each product line a display slot. The first line gets slot 0,
// which the presence test takes for "absent": it is re-slotted on every call.
func (c *Carts) Slot(line string) int {
	if c.slots[line] == 0 {
		c.slots[line] = len(c.order)
		c.order = append(c.order, line)
	}
	return c.slots[line]
}

// AddLine adds a product line to a cart by id. An unknown id is a nil *Cart,
// and the append dereferences it.
func (c *Carts) AddLine(id, line string) {
	c.open[id].Lines = append(c.open[id].Lines, line)
}

// Close removes a cart and reports its owner, but reads the cart after the
// delete: the read is always nil.
func (c *Carts) Close(id string) string {
	delete(c.open, id)
	return fmt.Sprintf("closed cart of %s", c.open[id].Owner)
}
