-- Demo street: 武康街道 (Wukang, Deqing county), its command room's forces.
insert into unit (id, name, type, street, grids, categories, status, capacity, latitude, longitude) values
('wk-pcs-north', '武康派出所城北警务区', 'POLICE_STATION', 'wukang', '{wukang-01,wukang-02}', '{PUBLIC_ORDER,NEIGHBOR_DISPUTE,FAMILY_DISPUTE,TRAFFIC_PARKING,NOISE}', 'AVAILABLE', 4, 30.5521, 119.9712),
('wk-pcs-south', '武康派出所城南警务区', 'POLICE_STATION', 'wukang', '{wukang-03,wukang-04}', '{PUBLIC_ORDER,NEIGHBOR_DISPUTE,FAMILY_DISPUTE,TRAFFIC_PARKING,NOISE}', 'AVAILABLE', 4, 30.5389, 119.9633),
('wk-zf-1', '武康综合执法中队一组', 'LAW_ENFORCEMENT', 'wukang', '{wukang-01,wukang-02,wukang-03,wukang-04}', '{ILLEGAL_CONSTRUCTION,NOISE,SANITATION,TRAFFIC_PARKING}', 'AVAILABLE', 3, 30.5450, 119.9690),
('wk-zf-2', '武康综合执法中队二组', 'LAW_ENFORCEMENT', 'wukang', '{wukang-01,wukang-02,wukang-03,wukang-04}', '{ILLEGAL_CONSTRUCTION,NOISE,SANITATION,TRAFFIC_PARKING}', 'AVAILABLE', 3, 30.5402, 119.9741),
('wk-dqs-1', '德清嫂调解队（英溪）', 'MEDIATION', 'wukang', '{wukang-01,wukang-02}', '{NEIGHBOR_DISPUTE,FAMILY_DISPUTE,NOISE,CONSUMER_DISPUTE,WAGE_ARREARS}', 'AVAILABLE', 2, 30.5480, 119.9655),
('wk-dqs-2', '德清嫂调解队（千秋）', 'MEDIATION', 'wukang', '{wukang-03,wukang-04}', '{NEIGHBOR_DISPUTE,FAMILY_DISPUTE,NOISE,CONSUMER_DISPUTE,WAGE_ARREARS}', 'AVAILABLE', 2, 30.5361, 119.9702),
('wk-cg-1', '武康城市管理办公室市政组', 'CITY_MANAGEMENT', 'wukang', '{wukang-01,wukang-02,wukang-03,wukang-04}', '{ROAD_DAMAGE,FACILITY_DAMAGE,SANITATION}', 'AVAILABLE', 3, 30.5433, 119.9668),
('wk-cg-2', '武康城市管理办公室环卫组', 'CITY_MANAGEMENT', 'wukang', '{wukang-01,wukang-02,wukang-03,wukang-04}', '{SANITATION,FACILITY_DAMAGE}', 'AVAILABLE', 3, 30.5417, 119.9720),
('wk-grid-01', '网格员 英溪社区01网格', 'GRID_WORKER', 'wukang', '{wukang-01}', '{NEIGHBOR_DISPUTE,NOISE,SANITATION,FACILITY_DAMAGE,ROAD_DAMAGE}', 'AVAILABLE', 2, 30.5502, 119.9661),
('wk-grid-02', '网格员 英溪社区02网格', 'GRID_WORKER', 'wukang', '{wukang-02}', '{NEIGHBOR_DISPUTE,NOISE,SANITATION,FACILITY_DAMAGE,ROAD_DAMAGE}', 'AVAILABLE', 2, 30.5471, 119.9702),
('wk-grid-03', '网格员 千秋社区03网格', 'GRID_WORKER', 'wukang', '{wukang-03}', '{NEIGHBOR_DISPUTE,NOISE,SANITATION,FACILITY_DAMAGE,ROAD_DAMAGE}', 'AVAILABLE', 2, 30.5396, 119.9688),
('wk-labor', '武康劳动保障所', 'OTHER', 'wukang', '{wukang-01,wukang-02,wukang-03,wukang-04}', '{WAGE_ARREARS}', 'AVAILABLE', 2, 30.5445, 119.9651),
('wk-scjg', '武康市场监管所', 'OTHER', 'wukang', '{wukang-01,wukang-02,wukang-03,wukang-04}', '{CONSUMER_DISPUTE}', 'AVAILABLE', 2, 30.5428, 119.9677)
on conflict (id) do nothing;
